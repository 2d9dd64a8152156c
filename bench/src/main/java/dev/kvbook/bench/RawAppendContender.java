package dev.kvbook.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's limit: a {@link FileChannel} that appends each put as {@code keyLength key
 * valueLength value} and, when durable, calls {@code force(false)} after each one. No index, no
 * checksum, no reads: no store can write and sync faster than this loop, so it is the floor the
 * others are measured against (the sequential-write ceiling when relaxed, the fsync ceiling when
 * durable).
 */
final class RawAppendContender implements Contender {

    @Override public String name() { return "raw-append"; }
    @Override public Kind kind() { return Kind.LIMIT; }
    @Override public boolean readable() { return false; }
    @Override public boolean ordered() { return false; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "FileChannel.force(false) (fdatasync) after each append"
                : "append only, never forced";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        try {
            FileChannel channel = FileChannel.open(dir.resolve("append.log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new AppendEngine(channel, mode == Durability.DURABLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One lock around the channel, so records from many threads never interleave. */
    private static final class AppendEngine implements WriteFloorEngine {
        private final FileChannel channel;
        private final boolean force;
        private long written;

        AppendEngine(FileChannel channel, boolean force) {
            this.channel = channel;
            this.force = force;
        }

        @Override
        public synchronized void put(byte[] key, byte[] value) {
            ByteBuffer record = WriteFloorEngine.record(key, value);
            try {
                while (record.hasRemaining()) {
                    written += channel.write(record);
                }
                if (force) {
                    channel.force(false);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public String what() { return "the raw append loop"; }

        @Override
        public synchronized void sync() {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public synchronized long bytesWritten() { return written; }

        @Override
        public synchronized long bytesOnDisk() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
