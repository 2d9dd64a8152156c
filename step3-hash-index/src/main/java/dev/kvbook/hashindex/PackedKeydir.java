package dev.kvbook.hashindex;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;

import static dev.kvbook.hashindex.SlotTable.EMPTY;
import static dev.kvbook.hashindex.SlotTable.entryOf;
import static dev.kvbook.hashindex.SlotTable.hash;
import static dev.kvbook.hashindex.SlotTable.hashOf;
import static dev.kvbook.hashindex.SlotTable.maxLive;
import static dev.kvbook.hashindex.SlotTable.slot;

/**
 * The keydir made small: the same contract as {@link PlainKeydir} (read that one first), packed
 * into three arrays with no object per key, so that a million keys cost tens of megabytes rather
 * than a hundred, and an open allocates three arrays instead of millions of objects. The store
 * uses it by default ({@link HashIndexStore.Options#packedKeydir}); it is an optimisation, not
 * part of the idea.
 *
 * <h2>Layout and its cost</h2>
 * An open-addressing hash table packed into three arrays, with no object per key:
 * <pre>
 *   slots   long[capacity]  ... | hash:32 entry+1:32 | 0 (empty) | ...   capacity a power of two
 *                                          |
 *                                          v  entry e is ints 4e .. 4e+3
 *   entry   int[]           ... | segment | offset | size | keyStart | ...
 *                                                              |
 *                                                              v
 *   arena   byte[]          ... | length:u16 | key bytes | length:u16 | key bytes | ...
 * </pre>
 * A key's slot is found by linear probing from its home, {@code hash & (capacity - 1)}. The
 * slot keeps the key's 32-bit hash, so a probe compares key bytes only when the hashes match.
 * Entries are appended in order; the arena holds each key once, after its 2-byte length.
 * A lookup touches about three cache lines: the slot, the entry's 16 bytes, the key.
 * <p>Per key, with every array exactly full: 8 (slot) + 4 + 4 + 4 + 4 (entry) + 2 (length) =
 * {@link #BYTES_PER_ENTRY} = 26 bytes beyond the key. Real arrays keep room to spare: the slot
 * table is between 3/8 and 3/4 full (8 / 0.75 to 8 / 0.375 = 10.7 to 21.3 bytes per key), and the
 * entry array and the arena grow by a quarter when full. For 16-byte keys loaded into a fresh
 * keydir that is at most 21.3 + 16 x 1.25 + 18 x 1.25 - 16 = 47.8 bytes beyond the key
 * (measured: 41 at a million keys). A removed key's entry and arena bytes are garbage until a rebuild, which
 * runs once garbage exceeds the live data, so deletes can double the entry and arena parts.
 * {@link #estimatedBytesPerKey()} divides the arrays' real lengths by the live keys.
 * <p>Why packed: the straightforward version, a {@code ConcurrentHashMap} from a key wrapper to a
 * {@code Location}, costs five objects per key, about 104 bytes plus the key, and every object
 * is something the garbage collector must trace and an open must allocate. The Bitcask paper's
 * keydir maps a key to (file_id, value_sz, value_pos, tstamp); its C implementation
 * ({@code bitcask_nifs.c}) keeps one allocated entry per key, 22 to 26 bytes of fields plus the
 * key, reached through a hash table of pointers: with the allocator's header and the table's slot,
 * some 40 to 50 bytes plus the key. This table needs no timestamp (the newest record wins by
 * position) and allocates nothing per key, so it lands in the same range.
 *
 * <h2>Threads</h2>
 * One writer at a time (the store serializes them) and any number of readers without locks:
 * <ol>
 *   <li>Every field and array element is written only under the {@code StampedLock}'s write lock,
 *       and a slot is set only after its entry and key are written.</li>
 *   <li>{@link #get} reads with an optimistic stamp and no lock. While a writer runs, what it reads
 *       may be torn or out of bounds; it trusts a result only if {@code validate} then says no
 *       writer held the lock meanwhile, and otherwise (or on any exception) retries under the read
 *       lock. So a get never returns a torn location, and never misses a key present throughout.</li>
 *   <li>Growing or rebuilding builds new arrays and then swaps them in; a reader holding the old
 *       ones reads stale data, which validation rejects, never data out of thin air.</li>
 * </ol>
 * {@link #replace}, {@link #size} and the O(n) methods take the locks; {@link #forEach} copies the
 * arrays under the read lock and calls its action after releasing it. The probing rules (and
 * the linear probing invariant that {@code remove} keeps without tombstones) are {@link SlotTable}'s.
 * A merge switches entries over with {@link #replace}, which only succeeds when the entry still
 * points where the merge copied it from.
 */
final class PackedKeydir implements Keydir {

    /** Bytes per key beyond the key when every array is exactly full: slot + 4 entry ints + key length. */
    static final int BYTES_PER_ENTRY = 8 + 4 + 4 + 4 + 4 + 2;

    private static final int LENGTH_PREFIX = 2; // a u16: keys are at most 1024 bytes (Limits.MAX_KEY_SIZE)
    private static final int MAX_KEY_LENGTH = 0xFFFF;
    // Entry e is the ints entry[4e .. 4e+3]: its Location, then where its key starts in the arena.
    private static final int SEGMENT = 0, OFFSET = 1, SIZE = 2, KEY_START = 3, ENTRY_INTS = 4;
    private static final int REMOVED = -1; // the KEY_START of a removed entry: garbage until a rebuild
    private static final int MIN_GARBAGE_FOR_REBUILD = 64; // entries; fewer are not worth an O(n) copy
    private static final int INITIAL_ENTRIES = 8;
    private static final int INITIAL_ARENA = 128;

    private final StampedLock lock = new StampedLock();

    // The table: written only under the write lock (invariant 1).
    private long[] slots = new long[SlotTable.INITIAL_CAPACITY];
    private int[] entry = new int[INITIAL_ENTRIES * ENTRY_INTS];
    private byte[] arena = new byte[INITIAL_ARENA];
    private int entries;         // entries used, live or removed: the next entry's number
    private int arenaEnd;        // arena bytes used: where the next key goes
    private int live;            // live keys, which is the occupied slots
    private long liveArenaBytes; // arena bytes of live keys, length prefixes included

    /** Returns where {@code key}'s newest record is, or {@code null} when the key is not live. O(1), lock-free. */
    @Override
    public Location get(byte[] key) {
        int hash = hash(key, 0, key.length);
        long stamp = lock.tryOptimisticRead(); // 0 while a writer holds the lock
        if (stamp != 0) {
            try {
                Location found = lookUp(key, hash);
                if (lock.validate(stamp)) {
                    return found; // no writer ran while we read: found is exact (invariant 2)
                }
            } catch (RuntimeException raced) {
                if (lock.validate(stamp)) {
                    throw raced; // no writer ran, so this is a bug, not a race
                }
            }
        }
        long read = lock.readLock();
        try {
            return lookUp(key, hash);
        } finally {
            lock.unlockRead(read);
        }
    }

    /**
     * Points {@code key} at {@code location} (a copy of the key is kept) and returns where it
     * pointed before, or {@code null}. O(1) amortized: now and then an array grows.
     */
    @Override
    public Location put(byte[] key, Location location) {
        if (key.length > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key of " + key.length + " bytes; the keydir takes at most " + MAX_KEY_LENGTH);
        }
        int hash = hash(key, 0, key.length);
        long stamp = lock.writeLock();
        try {
            int i = findSlot(slots, key, hash);
            if (slots[i] != EMPTY) {
                int e = entryOf(slots[i]);
                Location previous = locationOf(e);
                setLocation(e, location.segment(), location.offset(), location.size());
                return previous;
            }
            // Growing the entry array or the arena keeps entry numbers, so slot i is still the one.
            int e = appendEntry(key, 0, key.length, location.segment(), location.offset(), location.size());
            slots[i] = slot(hash, e); // last: the slot points only at a fully written entry
            live++;
            liveArenaBytes += LENGTH_PREFIX + key.length;
            if (live > maxLive(slots.length)) {
                slots = SlotTable.rehash(slots, slots.length * 2);
            }
            return null;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Forgets {@code key} (a tombstone) and returns where it pointed, or {@code null}. O(1) amortized. */
    @Override
    public Location remove(byte[] key) {
        int hash = hash(key, 0, key.length);
        long stamp = lock.writeLock();
        try {
            int i = findSlot(slots, key, hash);
            if (slots[i] == EMPTY) {
                return null;
            }
            int e = entryOf(slots[i]);
            Location previous = locationOf(e);
            SlotTable.delete(slots, i);
            entry[e * ENTRY_INTS + KEY_START] = REMOVED;
            live--;
            liveArenaBytes -= LENGTH_PREFIX + key.length;
            if (garbageExceedsLive()) {
                rebuild();
            }
            return previous;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Points {@code key} at {@code update} only if it still points at {@code expected}: how a
     * merge switches a key to its copy without undoing a write made while it ran. O(1).
     */
    @Override
    public boolean replace(byte[] key, Location expected, Location update) {
        int hash = hash(key, 0, key.length);
        long stamp = lock.writeLock();
        try {
            int i = findSlot(slots, key, hash);
            if (slots[i] == EMPTY || !expected.equals(locationOf(entryOf(slots[i])))) {
                return false;
            }
            setLocation(entryOf(slots[i]), update.segment(), update.offset(), update.size());
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The number of live keys. O(1). */
    @Override
    public int size() {
        long stamp = lock.readLock();
        try {
            return live;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Calls {@code action} with every live key (a fresh copy) and its location, as they were at
     * the time of the call. The entries are copied under the read lock, which a writer waits for
     * (a few memory copies), and the action runs after it is released, so it may use the keydir.
     * O(keys + arena) time and memory.
     */
    @Override
    public void forEach(BiConsumer<byte[], Location> action) {
        ArrayCopies copy;
        long stamp = lock.readLock();
        try {
            copy = new ArrayCopies(entries, Arrays.copyOf(entry, entries * ENTRY_INTS), Arrays.copyOf(arena, arenaEnd));
        } finally {
            lock.unlockRead(stamp);
        }
        copy.forEach(action);
    }

    /** Returns whether any key points into one of {@code segments}. O(keys); for assertions. */
    @Override
    public boolean pointsInto(Set<Integer> segments) {
        long stamp = lock.readLock();
        try {
            for (int e = 0; e < entries; e++) {
                if (entry[e * ENTRY_INTS + KEY_START] != REMOVED && segments.contains(entry[e * ENTRY_INTS + SEGMENT])) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * The heap bytes per live key, key included: the three arrays' lengths in bytes (their spare
     * room and garbage too) divided by the live keys, rounded up; 0 when empty. O(1).
     */
    @Override
    public long estimatedBytesPerKey() {
        long stamp = lock.readLock();
        try {
            long bytes = 8L * slots.length + 4L * entry.length + arena.length;
            return live == 0 ? 0 : (bytes + live - 1) / live;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    // ---- Lookup: safe to run without the lock, because the caller validates (invariant 2).

    /** The location of {@code key}, or {@code null}. Under a racing writer it may be wrong, or throw. */
    private Location lookUp(byte[] key, int hash) {
        long[] table = slots; // read once: the probe stays in one table, whatever a writer swaps in
        int i = findSlot(table, key, hash);
        long slot = i < 0 ? EMPTY : table[i];
        return slot == EMPTY ? null : locationOf(entryOf(slot));
    }

    /**
     * The slot holding {@code key}, or the empty slot that ends its probe, where it would go.
     * Returns -1 after probing the whole table, which happens only to a reader racing a writer.
     */
    private int findSlot(long[] table, byte[] key, int hash) {
        int mask = table.length - 1;
        int i = hash & mask;
        for (int probes = 0; probes < table.length; probes++, i = (i + 1) & mask) {
            long slot = table[i];
            if (slot == EMPTY || (hashOf(slot) == hash && keyEquals(entryOf(slot), key))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether entry {@code e} holds {@code key}; one length check, then a vectorized compare. */
    private boolean keyEquals(int e, byte[] key) {
        byte[] bytes = arena;
        int start = entry[e * ENTRY_INTS + KEY_START];
        int length = lengthAt(bytes, start);
        int from = start + LENGTH_PREFIX;
        return length == key.length && Arrays.equals(bytes, from, from + length, key, 0, length);
    }

    private Location locationOf(int e) {
        return locationAt(entry, e);
    }

    private static Location locationAt(int[] entry, int e) {
        int at = e * ENTRY_INTS;
        return new Location(entry[at + SEGMENT], entry[at + OFFSET], entry[at + SIZE]);
    }

    // ---- Writing: only under the write lock (invariant 1).

    private void setLocation(int e, int segment, int offset, int size) {
        int at = e * ENTRY_INTS;
        entry[at + SEGMENT] = segment;
        entry[at + OFFSET] = offset;
        entry[at + SIZE] = size;
    }

    /** Appends an entry and its key (bytes {@code from..from+length} of {@code source}); returns its number. */
    private int appendEntry(byte[] source, int from, int length, int segment, int offset, int size) {
        long entryNeeded = (entries + 1L) * ENTRY_INTS;
        if (entryNeeded > entry.length) {
            entry = Arrays.copyOf(entry, grown(entry.length, entryNeeded));
        }
        long arenaNeeded = (long) arenaEnd + LENGTH_PREFIX + length;
        if (arenaNeeded > arena.length) {
            arena = Arrays.copyOf(arena, grown(arena.length, arenaNeeded));
        }
        int e = entries;
        arena[arenaEnd] = (byte) (length >>> 8);
        arena[arenaEnd + 1] = (byte) length;
        System.arraycopy(source, from, arena, arenaEnd + LENGTH_PREFIX, length);
        entry[e * ENTRY_INTS + KEY_START] = arenaEnd;
        setLocation(e, segment, offset, size);
        arenaEnd += LENGTH_PREFIX + length;
        entries++;
        return e;
    }

    /** Whether removed entries (or their key bytes) now outnumber the live ones. */
    private boolean garbageExceedsLive() {
        int garbage = entries - live;
        return garbage >= MIN_GARBAGE_FOR_REBUILD && (garbage > live || arenaEnd - liveArenaBytes > liveArenaBytes);
    }

    /**
     * Copies the live entries, in order, into arrays sized for them and indexes them in a new
     * slot table: the garbage is gone and the entries are renumbered. O(live keys); each rebuild
     * follows at least as many removes as there are live keys, so remove stays O(1) amortized.
     */
    private void rebuild() {
        int[] oldEntry = entry;
        byte[] oldArena = arena;
        int oldEntries = entries;
        entry = new int[grown((long) live * ENTRY_INTS, (long) live * ENTRY_INTS)];
        arena = new byte[grown(liveArenaBytes, liveArenaBytes)];
        long[] table = new long[SlotTable.capacityFor(live)];
        entries = 0;
        arenaEnd = 0;
        for (int old = 0; old < oldEntries; old++) {
            int at = old * ENTRY_INTS;
            int start = oldEntry[at + KEY_START];
            if (start != REMOVED) {
                int length = lengthAt(oldArena, start);
                int e = appendEntry(oldArena, start + LENGTH_PREFIX, length,
                        oldEntry[at + SEGMENT], oldEntry[at + OFFSET], oldEntry[at + SIZE]);
                SlotTable.insert(table, slot(hash(oldArena, start + LENGTH_PREFIX, length), e));
            }
        }
        slots = table;
    }

    private static int lengthAt(byte[] arena, int start) {
        return ((arena[start] & 0xFF) << 8) | (arena[start + 1] & 0xFF);
    }

    /** A new array length for {@code length} in use: a quarter more (a little spare), at least {@code needed}. */
    private static int grown(long length, long needed) {
        long grown = Math.max(needed, length + length / 4 + 8L);
        if (grown > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("keydir full: an array would pass " + (Integer.MAX_VALUE - 8) + " elements");
        }
        return (int) grown;
    }

    /** Copies of the entry array and the arena, taken under the read lock and walked outside it. */
    private record ArrayCopies(int entries, int[] entry, byte[] arena) {

        void forEach(BiConsumer<byte[], Location> action) {
            for (int e = 0; e < entries; e++) {
                int start = entry[e * ENTRY_INTS + KEY_START];
                if (start != REMOVED) {
                    int from = start + LENGTH_PREFIX;
                    byte[] key = Arrays.copyOfRange(arena, from, from + lengthAt(arena, start));
                    action.accept(key, locationAt(entry, e));
                }
            }
        }
    }
}
