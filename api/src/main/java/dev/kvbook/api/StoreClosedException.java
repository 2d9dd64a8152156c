package dev.kvbook.api;

/** The store was used after {@link KeyValueStore#close()}. */
public class StoreClosedException extends IllegalStateException {

    public StoreClosedException(String store) {
        super(store + " is closed");
    }
}
