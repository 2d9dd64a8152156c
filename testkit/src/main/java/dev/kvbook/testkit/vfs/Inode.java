package dev.kvbook.testkit.vfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One file's bytes in {@link CrashSimVfs}: what a reader sees now, what the disk is known to
 * hold (as of the last sync), and the writes and truncates in between, kept in order so that a
 * harsh crash can replay some of them. Not thread-safe: the file system's monitor guards it.
 */
final class Inode {

    /** The bytes a reader sees now: {@code data[0, size)}. */
    byte[] data;
    long size;

    /** The bytes the disk is known to hold: those of the last {@link #sync()}. */
    private byte[] durable;

    /** Writes ({@code bytes != null}) and truncates ({@code bytes == null}) since the last sync. */
    private final List<Pending> unsynced = new ArrayList<>();

    private record Pending(long position, byte[] bytes) {
    }

    Inode(byte[] content) {
        data = content.clone();
        size = content.length;
        durable = content.clone();
    }

    byte[] current() {
        return Arrays.copyOf(data, (int) size);
    }

    void write(long position, byte[] bytes) {
        apply(position, bytes);
        unsynced.add(new Pending(position, bytes));
    }

    /** Notes a write that was interrupted by the power loss: only a harsh crash may keep it. */
    void recordUnsyncedWrite(long position, byte[] bytes) {
        unsynced.add(new Pending(position, bytes));
    }

    void truncate(long newSize) {
        size = newSize;
        unsynced.add(new Pending(newSize, null));
    }

    void sync() {
        durable = current();
        unsynced.clear();
    }

    /**
     * Replaces the current bytes by what survives a power loss: the durable bytes, plus, when
     * {@code harsh} is given, a random selection of the unsynced operations applied in order:
     * each 512-byte sector piece of a write kept (2 in 4), dropped (1 in 4) or garbled (1 in 4),
     * each truncate kept or dropped.
     */
    void crash(RandomGenerator harsh) {
        List<Pending> replay = List.copyOf(unsynced);
        data = durable.clone();
        size = durable.length;
        unsynced.clear();
        if (harsh == null) {
            return;
        }
        for (Pending op : replay) {
            if (op.bytes() == null) {
                if (harsh.nextBoolean() && op.position() < size) {
                    size = op.position();
                }
                continue;
            }
            replaySectors(op, harsh);
        }
        durable = current();
    }

    private void replaySectors(Pending op, RandomGenerator harsh) {
        long start = op.position();
        long end = start + op.bytes().length;
        for (long piece = start; piece < end; ) {
            long sectorEnd = Math.min(end, (piece / CrashSimVfs.SECTOR_SIZE + 1) * CrashSimVfs.SECTOR_SIZE);
            byte[] bytes = Arrays.copyOfRange(op.bytes(), (int) (piece - start), (int) (sectorEnd - start));
            int fate = harsh.nextInt(4);
            if (fate == 3) {
                harsh.nextBytes(bytes);
            }
            if (fate != 2) {
                apply(piece, bytes);
            }
            piece = sectorEnd;
        }
    }

    /** Writes bytes at a position, zero-filling any gap past the end as a sparse file reads. */
    private void apply(long position, byte[] bytes) {
        long end = position + bytes.length;
        if (end > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the crash simulator holds files up to 2 GiB");
        }
        if (end > data.length) {
            data = Arrays.copyOf(data, (int) Math.max(end, data.length * 2L));
        }
        if (position > size) {
            Arrays.fill(data, (int) size, (int) position, (byte) 0);
        }
        System.arraycopy(bytes, 0, data, (int) position, bytes.length);
        size = Math.max(size, end);
    }
}
