import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import static java.nio.file.StandardOpenOption.*;

/** Preallocated 4 MiB region, overwritten in place, force(false) after each write: record size varies. */
public class Floor {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/work"), "floor");
        int[] sizes = {32, 4096, 4152, 2 * 4152};
        for (int round = 0; round < 3; round++) {
            for (int size : sizes) {
                Path file = dir.resolve("f" + size);
                try (FileChannel ch = FileChannel.open(file, CREATE, WRITE, READ)) {
                    long region = 4L << 20;
                    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
                    for (long at = 0; at < region; at += zeros.capacity()) { ch.write(zeros.clear(), at); }
                    ch.force(true);
                    ByteBuffer rec = ByteBuffer.allocate(size);
                    long at = 32; // unaligned start, as step 5's 4152-byte frames (56-byte header + 4 KiB page) follow its 32-byte log header
                    int n = 2000;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        if (at + size > region) at = 32;
                        rec.clear(); rec.putLong(0, i);
                        ch.write(rec, at);
                        ch.force(false);
                        at += size;
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("round %d size %5d: %.0f syncs/s%n", round, size, n / s);
                }
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
