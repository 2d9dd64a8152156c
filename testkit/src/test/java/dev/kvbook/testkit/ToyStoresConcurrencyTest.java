package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Nested;

import java.nio.file.Path;

/** The concurrency category against the two correct toy stores: the category itself must pass a correct store. */
class ToyStoresConcurrencyTest {

    /**
     * The on-disk toy: one lock around a whole-file rewrite with two fsyncs, so slow fsyncs
     * matter. Shorter rounds: every write is a rewrite, and the toy only has to show the
     * category passes a correct store.
     */
    @Nested
    class FileStore extends ConcurrencyContract {
        @Override
        protected KeyValueStore open(Vfs vfs, Path home) {
            return new ToyFileStore(vfs, home, ToyFileStore.Flaw.NONE);
        }

        @Override
        protected int callsPerThread() {
            return 30;
        }
    }

    /** The in-memory transactional toy: published snapshots and one writer. */
    @Nested
    class MemoryStore extends TransactionalConcurrencyContract {
        @Override
        protected KeyValueStore open(Vfs vfs, Path home) {
            return new ToyMemoryStore(ToyMemoryStore.Flaw.NONE);
        }
    }
}
