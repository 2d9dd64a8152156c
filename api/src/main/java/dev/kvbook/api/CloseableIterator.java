package dev.kvbook.api;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * An iterator that holds resources (a read lock, a file position, pinned pages) until closed.
 * Use it with try-with-resources. {@code close()} is idempotent and throws no checked exception.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    @Override
    void close();

    /** Drains the remaining elements into a list and closes the iterator. O(remaining). */
    default List<T> toList() {
        try (this) {
            List<T> all = new java.util.ArrayList<>();
            forEachRemaining(all::add);
            return all;
        }
    }

    /** Wraps an iterator that holds no resources; {@code close()} does nothing. */
    static <T> CloseableIterator<T> of(Iterator<T> iterator) {
        return new CloseableIterator<>() {
            @Override public boolean hasNext() { return iterator.hasNext(); }
            @Override public T next() { return iterator.next(); }
            @Override public void forEachRemaining(Consumer<? super T> action) { iterator.forEachRemaining(action); }
            @Override public void close() { }
        };
    }

    /** An iterator over nothing. */
    static <T> CloseableIterator<T> empty() {
        return new CloseableIterator<>() {
            @Override public boolean hasNext() { return false; }
            @Override public T next() { throw new NoSuchElementException(); }
            @Override public void close() { }
        };
    }
}
