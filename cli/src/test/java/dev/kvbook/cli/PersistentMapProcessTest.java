package dev.kvbook.cli;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.testkit.process.KillTarget;
import dev.kvbook.testkit.process.ProcessKillHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PersistentMap#open} across real processes, on the real disk: handles are shared only
 * within one JVM, so a map open in one process keeps every other process out with
 * {@link StoreLockedException}, naming the path, until the last handle there is closed. The
 * testkit's {@link ProcessKillHarness} starts the other JVM, which opens the map the way an
 * application does ({@link KillTarget}).
 */
class PersistentMapProcessTest {

    @TempDir
    Path dir;

    private static PersistentMap<String, String> open(String store, Path path) {
        return PersistentMap.open(store, path, Codecs.STRING, Codecs.STRING, MapOptions.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"step3", "step5"})
    void aMapOpenInAnotherProcessMakesOpenFailFastNamingThePathUntilThatProcessClosesIt(String store)
            throws IOException {
        Path path = dir.resolve("map");
        long holder;
        try (ProcessKillHarness.MapHolder other = ProcessKillHarness.holdMapInAnotherProcess(store, path)) {
            holder = other.pid();
            Path realPath = path.toRealPath();
            assertThatThrownBy(() -> open(store, path)).isInstanceOfSatisfying(StoreLockedException.class, refused -> {
                assertThat(refused.lockFile().toString()).as("map/LOCK in step 3, map.lock in step 5")
                        .startsWith(realPath.toString());
                assertThat(refused).hasMessageContaining(realPath.toString());
            });
            assertThatThrownBy(() -> open(store, path)).as("the refused open left no half-open map in this JVM")
                    .isInstanceOf(StoreLockedException.class);
        } // the other process closes its map and exits
        try (PersistentMap<String, String> map = open(store, path)) {
            assertThat(map.get(KillTarget.HOLDER_KEY)).as("what the other process put before it closed")
                    .isEqualTo(Long.toString(holder));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"step3", "step5"})
    void twoHandlesHereShareOneStoreAndKeepAnotherProcessOutUntilTheLastCloses(String store) throws IOException {
        Path path = dir.resolve("map");
        PersistentMap<String, String> first = open(store, path);
        PersistentMap<String, String> second = open(store, path); // in one JVM: a second handle, not a refusal
        try {
            first.put("written", "through the first handle");
            assertThat(second.get("written")).isEqualTo("through the first handle");
            assertThat(ProcessKillHarness.mapOpenAttemptsInAnotherProcess(store, path)).singleElement()
                    .asString().startsWith("locked ").contains(path.toRealPath().toString());
            first.close();
            assertThat(ProcessKillHarness.mapOpenAttemptsInAnotherProcess(store, path))
                    .as("the second handle still holds the store").singleElement().asString().startsWith("locked ");
        } finally {
            first.close();
            second.close();
        }
        assertThat(ProcessKillHarness.mapOpenAttemptsInAnotherProcess(store, path)).containsExactly("opened");
    }
}
