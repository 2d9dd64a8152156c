package dev.kvbook.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's limits for a log: a {@link FileChannel} that writes each put as {@code keyLength key
 * valueLength value} and, when durable, forces it after each one. No index, no checksum, no reads:
 * no store can write and sync faster than this loop <em>with the same I/O pattern</em>, so the
 * four variants are the floors the others are measured against, each store against the one its
 * log follows (issue #27):
 *
 * <table>
 *   <caption>the four floors</caption>
 *   <tr><th>name</th><th>file</th><th>sync</th></tr>
 *   <tr><td>{@code raw-append}</td><td>growing: every record extends the file</td><td>{@code force(false)} (fdatasync)</td></tr>
 *   <tr><td>{@code raw-append-fsync}</td><td>growing</td><td>{@code force(true)} (fsync)</td></tr>
 *   <tr><td>{@code raw-prealloc}</td><td>preallocated: a zero-filled region written over in place, from its start again when full</td><td>{@code force(false)}</td></tr>
 *   <tr><td>{@code raw-prealloc-fsync}</td><td>preallocated</td><td>{@code force(true)}</td></tr>
 * </table>
 *
 * <p>Why the file's growth matters more than the call: a sync after an append that grew the file
 * must also make the new size and the newly allocated blocks durable, which on a journaling file
 * system (ext4, XFS) is a journal commit, a second trip to the device, whichever call is used
 * (fdatasync keeps only timestamps back, and a size is not a timestamp). Overwriting blocks the
 * file already has leaves nothing but the data and, for fsync, the modification time to flush.
 * The preallocated region is {@link #REGION_BYTES}, step 5's default checkpoint size, so it
 * wraps as often as step 5's log is restarted; it is filled by writing zeros, not by
 * {@code fallocate}, because a fallocated block is "unwritten" until first written, and turning
 * it into a written one is a metadata change with its own journal commit.
 *
 * <p>{@code raw-append} keeps its name and meaning from before the four existed (the targets and
 * the book's figures refer to it).
 */
final class RawAppendContender implements Contender {

    /** The preallocated region: 4 MiB, {@code WalStore.Options.defaults()}' checkpoint threshold. */
    static final long REGION_BYTES = 4L << 20;

    private final boolean preallocated;
    private final boolean fsync;

    /** {@code raw-append}: a growing file, {@code force(false)}. */
    RawAppendContender() {
        this(false, false);
    }

    /** One of the four floors: a growing or a preallocated file, synced with fsync or fdatasync. */
    RawAppendContender(boolean preallocated, boolean fsync) {
        this.preallocated = preallocated;
        this.fsync = fsync;
    }

    @Override public String name() { return (preallocated ? "raw-prealloc" : "raw-append") + (fsync ? "-fsync" : ""); }
    @Override public Kind kind() { return Kind.LIMIT; }
    @Override public boolean readable() { return false; }
    @Override public boolean ordered() { return false; }

    @Override
    public String durability(Durability mode) {
        String where = preallocated ? "written over a preallocated 4 MiB region" : "appended";
        if (mode != Durability.DURABLE) {
            return where + ", never forced";
        }
        return (fsync ? "FileChannel.force(true) (fsync)" : "FileChannel.force(false) (fdatasync)") + " after each record "
                + where;
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        try {
            FileChannel channel = FileChannel.open(dir.resolve(preallocated ? "prealloc.log" : "append.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long region = preallocated ? preallocate(channel) : 0;
            return new LoopEngine(channel, mode == Durability.DURABLE, fsync, region, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the region with zeros (written, then fsynced), unless it already is that long; not timed. */
    private static long preallocate(FileChannel channel) throws IOException {
        if (channel.size() < REGION_BYTES) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = channel.size(); at < REGION_BYTES; at += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), REGION_BYTES - at));
                while (zeros.hasRemaining()) {
                    channel.write(zeros, at + zeros.position());
                }
            }
            channel.force(true);
        }
        return REGION_BYTES;
    }

    /**
     * One lock around the channel, so records from many threads never interleave. With a region,
     * a record that would cross its end starts again at 0, as a recycled log does.
     */
    private static final class LoopEngine implements WriteFloorEngine {
        private final FileChannel channel;
        private final boolean force;
        private final boolean metadata;
        private final long region;
        private long position;
        private long written;

        LoopEngine(FileChannel channel, boolean force, boolean metadata, long region, long end) {
            this.channel = channel;
            this.force = force;
            this.metadata = metadata;
            this.region = region;
            this.position = region > 0 ? 0 : end;
        }

        @Override
        public synchronized void put(byte[] key, byte[] value) {
            ByteBuffer record = WriteFloorEngine.record(key, value);
            if (region > 0 && position + record.remaining() > region) {
                position = 0;
            }
            try {
                while (record.hasRemaining()) {
                    int n = channel.write(record, position);
                    position += n;
                    written += n;
                }
                if (force) {
                    channel.force(metadata);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public String what() { return "the raw write loop"; }

        @Override
        public synchronized void sync() {
            try {
                channel.force(metadata);
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
