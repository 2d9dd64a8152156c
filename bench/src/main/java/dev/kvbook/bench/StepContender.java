package dev.kvbook.bench;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kvbook step, found through its {@link StoreProvider}: the bench never names a store class, so
 * step 3 and step 5 join as soon as their jars are on the class path.
 *
 * <p>Every byte goes through a {@link CountingVfs}, which is how the bench knows the bytes written
 * per put. {@link Durability#DURABLE} is the store's default (each write durable on return);
 * {@link Durability#RELAXED} is the same store over a {@link NoSyncVfs}.
 */
final class StepContender implements Contender {

    private final StoreProvider provider;
    private final boolean ordered;

    StepContender(StoreProvider provider) {
        this.provider = provider;
        this.ordered = probeOrdered(provider);
    }

    /** Opens a throwaway store to learn whether this step keeps its keys sorted. */
    private static boolean probeOrdered(StoreProvider provider) {
        try {
            Path dir = Files.createTempDirectory("kvbench-probe-");
            try (KeyValueStore store = provider.open(dir.resolve("store"), new NoSyncVfs(Vfs.local()))) {
                return store instanceof OrderedKeyValueStore;
            } finally {
                Dirs.deleteRecursively(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public String name() { return provider.name(); }
    @Override public Kind kind() { return Kind.STEP; }
    @Override public boolean ordered() { return ordered; }

    @Override
    public String durability(Durability mode) {
        if (mode == Durability.RELAXED) {
            return "every write handed to the OS, fsync skipped (the store over the harness's NoSyncVfs)";
        }
        return provider.durableOnEveryWrite() ? "store default: durable (fsynced) before each put returns"
                : "store default (not durable per write)";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        CountingVfs vfs = new CountingVfs(mode == Durability.DURABLE ? Vfs.local() : new NoSyncVfs(Vfs.local()));
        return new StepEngine(provider.open(dir.resolve("store"), vfs), vfs);
    }

    /** The store itself is thread-safe (the api promises it), so calls go straight through. */
    private record StepEngine(KeyValueStore store, CountingVfs vfs) implements Engine {

        @Override public void put(byte[] key, byte[] value) { store.put(key, value); }
        @Override public byte[] get(byte[] key) { return store.get(key); }
        @Override public void sync() { store.sync(); }
        @Override public long bytesWritten() { return vfs.total().bytesWritten(); }
        @Override public long bytesOnDisk() { return store.stats().bytesOnDisk(); }
        @Override public void close() { store.close(); }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            if (!(store instanceof OrderedKeyValueStore ordered)) {
                throw new UnsupportedOperationException(store.stats().store() + " keeps no key order");
            }
            int seen = 0;
            try (CloseableIterator<Entry> entries = ordered.scan(fromInclusive, null)) {
                while (seen < count && entries.hasNext()) {
                    entries.next();
                    seen++;
                }
            }
            return seen;
        }
    }
}
