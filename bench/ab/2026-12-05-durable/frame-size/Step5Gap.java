import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.wal.WalStore;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.*;

/**
 * Step 5's one-thread durable put against the raw floor of its own pattern, alternating in one
 * process: 2,000 puts to step 5 (default options: every put a commit, synced), then 2,000
 * 4152-byte writes over a preallocated 4 MiB file with force(false), six rounds (the first ones warm the JIT).
 */
public class Step5Gap {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/work"), "gap");
        int n = 2000;
        for (int round = 0; round < 6; round++) {
            Path storeDir = Files.createDirectory(dir.resolve("s" + round));
            CountingVfs counting = new CountingVfs(Vfs.local());
            try (WalStore store = WalStore.open(storeDir.resolve("store"), WalStore.Options.defaults().withVfs(counting))) {
                for (int i = 0; i < 200; i++) {
                    store.put(("key" + (i % 50)).getBytes(), ("v" + i).getBytes());
                }
                var before = counting.total();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    store.put(("key" + (i % 50)).getBytes(), ("value" + i).getBytes());
                }
                double s = (System.nanoTime() - t0) / 1e9;
                var after = counting.total();
                System.out.printf("round %d step5 put: %.0f/s; per put: %.2f syncs, %.0f bytes written, %.2f writes%n", round, n / s,
                        (after.syncs() - before.syncs()) / (double) n, (after.bytesWritten() - before.bytesWritten()) / (double) n,
                        (after.writes() - before.writes()) / (double) n);
            }
            Path file = dir.resolve("raw" + round);
            try (FileChannel ch = FileChannel.open(file, CREATE, WRITE, READ)) {
                long region = 4L << 20;
                ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
                for (long at = 0; at < region; at += zeros.capacity()) { ch.write(zeros.clear(), at); }
                ch.force(true);
                ByteBuffer rec = ByteBuffer.allocate(4152);
                long at = 32;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (at + 4152 > region) at = 32;
                    rec.clear(); rec.putLong(0, i);
                    ch.write(rec, at);
                    ch.force(false);
                    at += 4152;
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("round %d raw 4152 B overwrite + force(false): %.0f/s%n", round, n / s);
            }
        }
    }
}
