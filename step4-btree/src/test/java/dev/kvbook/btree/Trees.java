package dev.kvbook.btree;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.crash.StoreChecker;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What the step-4 tests share: where the file is, how to open it, and the checker. */
final class Trees {

    static final String FILE = "tree.db";

    /** Every write durable on return (the defaults). */
    static final StoreOpener DURABLE = (vfs, home) -> BTreeStore.open(home.resolve(FILE),
            BTreeStore.Options.defaults().withVfs(vfs));

    /** Durable at sync and close only, with a tiny cache so that evictions write pages early. */
    static final StoreOpener SYNC_ONLY_TINY_CACHE = (vfs, home) -> BTreeStore.open(home.resolve(FILE),
            BTreeStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(false).withCachePages(3));

    /** The TreeChecker through the provider, as the crash drivers call it. */
    static final StoreChecker VERIFY = (vfs, home) -> new BTreeStoreProvider().verify(home.resolve(FILE), vfs).problems();

    private Trees() {
    }

    static KeyValueStore open(Vfs vfs, Path home) {
        return DURABLE.open(vfs, home);
    }

    /** Runs the checker and fails the test with its report if it found anything. */
    static VerifyReport assertHealthy(Vfs vfs, Path file) {
        VerifyReport report = new BTreeStoreProvider().verify(file, vfs);
        assertThat(report.problems()).as(report::toString).isEmpty();
        return report;
    }
}
