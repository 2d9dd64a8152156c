package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.vfs.ReadOnlyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kv verify} and {@code kv inspect} read a store without write access (issue #18, item 3):
 * on read-only media (played by {@link ReadOnlyVfs}, since tests run as root and chmod denies root
 * nothing) they work and try to change nothing; they refuse only while a writer has the store
 * open; and while verify reads, a writer is refused.
 */
class ReadOnlyMediaTest {

    private static final List<String> KINDS = List.of("step1", "step2", "step3", "step4", "step5", "step6");

    @TempDir
    Path dir;

    private Path store(String kind) {
        Path path = dir.resolve(kind + "-store");
        for (String key : List.of("alpha", "beta", "gamma")) {
            Kv.Result put = Kv.run("put", "--store", kind, "--path", path.toString(), key, "value of " + key);
            assertThat(put.exitCode()).as(put.toString()).isZero();
        }
        return path;
    }

    @Test
    void verifyAndInspectWorkOnReadOnlyMediaForEveryStore() {
        for (String kind : KINDS) {
            Path path = store(kind);
            ReadOnlyVfs media = new ReadOnlyVfs(Vfs.local());
            Kv.Result verify = Kv.runOn(media, "verify", path.toString());
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).as(kind).contains(kind, "clean");
            Kv.Result inspect = Kv.runOn(media, "inspect", path.toString());
            assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
            assertThat(inspect.out()).as(kind).isNotBlank();
            assertThat(media.refusedCalls()).as("what %s's verify and inspect tried to change", kind).isEmpty();
        }
    }

    @Test
    void verifyOfAStoreAWriterHasOpenFailsFastOnReadOnlyMediaToo() {
        for (String kind : KINDS) {
            Path path = store(kind);
            try (KeyValueStore writer = Stores.open(kind, path)) {
                writer.put(Keys.utf8("delta"), Keys.utf8("being written"));
                BadInputTest.assertOneLine(Kv.runOn(new ReadOnlyVfs(Vfs.local()), "verify", path.toString()),
                        "already open", "close it first");
            }
        }
    }

    @Test
    void whileVerifyReadsAWriterIsRefusedAtOnce() {
        for (String kind : KINDS) {
            Path path = store(kind);
            List<Kv.Result> writers = new ArrayList<>();
            Vfs reading = new ForwardingVfs(Vfs.local()) {
                @Override
                public Closeable lockShared(Path lockFile) {
                    Closeable held = super.lockShared(lockFile);
                    writers.add(Kv.run("put", "--path", path.toString(), "delta", "written while verify read"));
                    return held;
                }
            };
            Kv.Result verify = Kv.runOn(reading, "verify", path.toString());
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(writers).as("%s: writers that came while verify held the readers' lock", kind).hasSize(1);
            BadInputTest.assertOneLine(writers.get(0), "already open", "close it first");
            Kv.Result after = Kv.run("put", "--path", path.toString(), "delta", "written after verify");
            assertThat(after.exitCode()).as("%s, once verify is done: %s", kind, after).isZero();
        }
    }
}
