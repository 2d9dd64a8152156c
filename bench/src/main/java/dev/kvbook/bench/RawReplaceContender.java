package dev.kvbook.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Step 1's physical floor: each put replaces a file atomically, as step 1 does, but the file holds
 * only that put's record ({@code keyLength key valueLength value}) and nothing is serialized. When
 * durable: write a temporary file, {@code force(true)}, rename it over the old one, fsync the
 * directory. For the counter (one key) that is exactly the disk work step 1 cannot avoid, so the
 * gap between the two is what step 1's own code costs; the raw append loop is not that floor,
 * because creating and renaming a file makes each fsync commit more file-system metadata.
 */
final class RawReplaceContender implements Contender {

    @Override public String name() { return "raw-replace"; }
    @Override public Kind kind() { return Kind.LIMIT; }
    @Override public boolean readable() { return false; }
    @Override public boolean ordered() { return false; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE
                ? "temporary file written and forced, renamed into place, directory fsynced, per put"
                : "temporary file written and renamed into place per put, never forced";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        return new ReplaceEngine(dir, mode == Durability.DURABLE);
    }

    /** One lock around every replace, so two threads never share the temporary file. */
    private static final class ReplaceEngine implements WriteFloorEngine {
        private final Path dir;
        private final Path file;
        private final Path temporary;
        private final boolean force;
        private long written;

        ReplaceEngine(Path dir, boolean force) {
            this.dir = dir;
            this.file = dir.resolve("value");
            this.temporary = dir.resolve("value.tmp");
            this.force = force;
        }

        @Override
        public synchronized void put(byte[] key, byte[] value) {
            ByteBuffer record = WriteFloorEngine.record(key, value);
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    while (record.hasRemaining()) {
                        written += channel.write(record);
                    }
                    if (force) {
                        channel.force(true);
                    }
                }
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                if (force) {
                    syncDirectory();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void syncDirectory() throws IOException {
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        }

        @Override public String what() { return "the raw replace loop"; }

        @Override
        public synchronized void sync() {
            try {
                if (Files.exists(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
                syncDirectory();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public synchronized long bytesWritten() { return written; }

        @Override
        public synchronized long bytesOnDisk() {
            try {
                return Files.exists(file) ? Files.size(file) : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            sync();
        }
    }
}
