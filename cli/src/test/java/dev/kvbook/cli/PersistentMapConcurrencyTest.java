package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;
import org.junit.jupiter.api.Nested;

import java.nio.file.Path;
import java.util.List;

/**
 * {@link dev.kvbook.api.PersistentMap} under the testkit's concurrency category: four threads on
 * two handles of one map ({@link TwoHandleMap}: expiry after access, metadata with batches of four
 * access times, a two-entry read cache), every history checked for linearizability, on the real
 * disk, with slow fsyncs, and with the map's sweep (and {@code sync}, which writes the access
 * times) looping in a fifth thread. Every round starts on a map that holds the workers' keys and
 * 300 more entries, all expired: the first sweep removes them in two batches while the workers
 * write those very keys, and must remove none of the workers' writes.
 *
 * <p>Over step 3 (one read-write lock over a keydir) and step 5 (a write-ahead log with group
 * commit): the two designs a map would most likely be kept in.
 */
class PersistentMapConcurrencyTest {

    /** The workers' keys, as the testkit's driver names them (3 keys: k0, k1, k2). */
    private static final List<String> WORKER_KEYS = List.of("k0", "k1", "k2");

    private static final List<Op> SWEEP_AND_SYNC = List.of(
            Op.maintenance("sweep", store -> ((TwoHandleMap) store).sweep()),
            Op.sync());

    /** Two handles of a map in {@code store}, seeded with expired entries. */
    private static KeyValueStore openSeeded(String store, Vfs vfs, Path home) {
        return new TwoHandleMap(store, vfs, home).seedExpired(WORKER_KEYS, 300);
    }

    @Nested
    class OverStep3 extends ConcurrencyContract {
        @Override
        protected KeyValueStore open(Vfs vfs, Path home) {
            return openSeeded("step3", vfs, home);
        }

        @Override
        protected List<Op> maintenanceOps() {
            return SWEEP_AND_SYNC;
        }
    }

    @Nested
    class OverStep5 extends ConcurrencyContract {
        @Override
        protected KeyValueStore open(Vfs vfs, Path home) {
            return openSeeded("step5", vfs, home);
        }

        @Override
        protected List<Op> maintenanceOps() {
            return SWEEP_AND_SYNC;
        }
    }
}
