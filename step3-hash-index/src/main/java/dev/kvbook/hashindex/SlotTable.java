package dev.kvbook.hashindex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The {@link PackedKeydir}'s index: a linear-probing hash table of 64-bit slots in a {@code long[]},
 * with the helpers that read and change one. It holds no keys, only their hashes and entry
 * numbers; comparing keys is the keydir's job.
 *
 * <pre>
 *   slot := hash:32 | entry + 1:32        0 is EMPTY (entry + 1 is never 0)
 * </pre>
 * A key's home is {@code hash & (capacity - 1)}, the capacity being a power of two. Its slot is
 * the first from its home, going right and wrapping, that is empty when it is inserted.
 * <ol>
 *   <li>Invariant: no empty slot lies between a key's home and its slot. A lookup may therefore
 *       stop at the first empty slot.</li>
 *   <li>At most 3/4 of the slots are full ({@link #maxLive}), so there is always an empty slot
 *       and probes stay short (a few slots on average).</li>
 * </ol>
 * A delete keeps invariant 1 by backward shift ({@link #delete}), so there are no tombstones.
 */
final class SlotTable {

    static final long EMPTY = 0;
    static final int INITIAL_CAPACITY = 16;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SlotTable() {
    }

    /** A slot: the key's hash in the high 32 bits, entry + 1 in the low 32 (so never {@link #EMPTY}). */
    static long slot(int hash, int entry) {
        return ((long) hash << 32) | (entry + 1L);
    }

    static int hashOf(long slot) {
        return (int) (slot >>> 32);
    }

    static int entryOf(long slot) {
        return (int) slot - 1;
    }

    /** The most keys a table of {@code capacity} slots takes: 3/4 full (invariant 2). */
    static int maxLive(int capacity) {
        return capacity - capacity / 4;
    }

    /** The smallest power-of-two capacity that holds {@code keys} at most 3/4 full. */
    static int capacityFor(int keys) {
        int capacity = INITIAL_CAPACITY;
        while (maxLive(capacity) < keys) {
            capacity *= 2;
        }
        return capacity;
    }

    /** Puts {@code slot} in the first empty slot from its home. Its key must not be in the table. */
    static void insert(long[] table, long slot) {
        int mask = table.length - 1;
        int i = hashOf(slot) & mask;
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = slot;
    }

    /** A new table of {@code capacity} slots holding the slots of {@code table}. O(capacity). */
    static long[] rehash(long[] table, int capacity) {
        long[] bigger = new long[capacity];
        for (long slot : table) {
            if (slot != EMPTY) {
                insert(bigger, slot);
            }
        }
        return bigger;
    }

    /**
     * Empties slot {@code hole} by backward-shift deletion: walks on to the next empty slot and
     * moves back into the hole every key whose probe passed the hole (its home is not in the run
     * from the hole to it), so that invariant 1 holds again. O(length of the run).
     */
    static void delete(long[] table, int hole) {
        int mask = table.length - 1;
        for (int i = (hole + 1) & mask; table[i] != EMPTY; i = (i + 1) & mask) {
            int home = hashOf(table[i]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) { // distance home..i >= distance hole..i
                table[hole] = table[i];
                hole = i;
            }
        }
        table[hole] = EMPTY;
    }

    /**
     * A 32-bit hash of {@code bytes[from .. from + length)}: eight bytes at a time, each word mixed
     * in by a multiply, then a final avalanche (MurmurHash3's fmix64) so that every bit of the key
     * moves every bit of the hash. The low bits choose the home slot, so they must be good too.
     */
    static int hash(byte[] bytes, int from, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(bytes, from + i)) * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 31;
        }
        long tail = 0;
        for (; i < length; i++) {
            tail = (tail << 8) | (bytes[from + i] & 0xFF);
        }
        h = (h ^ tail) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
