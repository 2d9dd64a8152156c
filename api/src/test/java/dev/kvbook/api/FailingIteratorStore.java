package dev.kvbook.api;

import java.io.UncheckedIOException;
import java.io.IOException;

/** A store whose iterator fails once {@link #failIterators} is set: a sweep's first step breaks. */
final class FailingIteratorStore extends ForwardingStore {

    volatile boolean failIterators;

    FailingIteratorStore(KeyValueStore inner) {
        super(inner);
    }

    @Override
    public CloseableIterator<Entry> iterator() {
        if (failIterators) {
            throw new UncheckedIOException(new IOException("disk on fire"));
        }
        return super.iterator();
    }
}
