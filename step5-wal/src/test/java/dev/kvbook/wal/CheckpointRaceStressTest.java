package dev.kvbook.wal;

import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit racing checkpoints, as the issue reported it: four writers of 9 KB values with
 * a 16 KiB checkpoint threshold, and a fifth thread calling {@code checkpoint()} in a loop. Each
 * writer reads back what it wrote; at the end every key holds its last value and the checker is
 * happy. Before the fix this hung a {@code put} (the watchdog reports it) or threw a false
 * {@code CorruptionException} in most rounds.
 */
class CheckpointRaceStressTest {

    @TempDir
    Path home;

    @Test
    void writersAndACheckpointLoopNeverHangAndNeverSeeFalseCorruption() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path file = home.resolve("round" + round + ".db");
            byte[] big = new byte[9 * 1024];
            try (WalStore store = WalStore.open(file, WalStore.Options.defaults()
                    .withVfs(new GatedLogSyncVfs(Vfs.local(), 2000)).withCheckpointWalBytes(16 * 1024))) {
                AtomicBoolean stop = new AtomicBoolean();
                List<CommitRaceTest.Racer<Void>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int id = w;
                    writers.add(CommitRaceTest.Racer.start("writer " + w, () -> {
                        for (int i = 0; i < 60; i++) {
                            byte[] value = Arrays.copyOf(big, big.length);
                            value[0] = (byte) i;
                            store.put(utf8("k" + id), value);
                            assertThat(store.get(utf8("k" + id))).isEqualTo(value);
                        }
                        return null;
                    }));
                }
                CommitRaceTest.Racer<Void> checkpoints = CommitRaceTest.Racer.start("checkpoint loop", () -> {
                    while (!stop.get()) {
                        store.checkpoint();
                    }
                    return null;
                });
                try {
                    for (CommitRaceTest.Racer<Void> writer : writers) {
                        writer.result();
                    }
                } finally {
                    stop.set(true);
                }
                checkpoints.result();
                for (int w = 0; w < 4; w++) {
                    assertThat(store.get(utf8("k" + w))[0]).isEqualTo((byte) 59);
                }
            }
            Wals.assertHealthy(Vfs.local(), file);
        }
    }
}
