package dev.kvbook.api;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The envelope: how a {@link PersistentMap} with expiry, metadata or long keys stores a value.
 * This Javadoc is the specification; {@code MapEnvelopeFormatTest} pins it byte for byte against
 * the worked example below and the golden file {@code golden/map-envelope-cat.bin}.
 *
 * <h2>Grammar</h2>
 * <pre>
 * envelope := version:u8 count:u16 slot{count} crc:u32          HEADER_SIZE      = 1 + 2         =  3
 * slot     := created:i64 accessed:i64                           SLOT_HEADER_SIZE = 8 + 8 + 4 + 4 = 24
 *             keyLength:u32 key:byte[keyLength]
 *             valueLength:u32 value:byte[valueLength]
 * crc      := CRC32C(stored key, then every envelope byte before the crc)     CRC_SIZE = 4
 * </pre>
 * Integers are big-endian. Times are milliseconds since 1970-01-01T00:00Z from the map's
 * {@link java.time.Clock}.
 *
 * <h2>Picture (one entry under a short key: 31 bytes more than the value)</h2>
 * <pre>
 *  0         1       3         11         19          23           27           27 + n
 *  +---------+-------+---------+----------+-----------+------------+------------+--------+
 *  | version | count | created | accessed | keyLength | valueLength| value      | crc32c |
 *  |   01    | 00 01 |  i64    |   i64    | 00000000  |     n      | n bytes    |        |
 *  +---------+-------+---------+----------+-----------+------------+------------+--------+
 *  |&lt;-------------- covered by the crc32c, after the stored key's bytes ------&gt;|
 * </pre>
 *
 * <h2>Why each field</h2>
 * <ul>
 *   <li><b>version</b>: the first byte, so a reader meeting an envelope from a later kvbook says
 *       "version 2, expected 1" instead of misreading it. {@link #VERSION_CURRENT} is 1.</li>
 *   <li><b>count</b>: 1 under a short key. Under a digest it is the number of long keys sharing
 *       that digest (a bucket; see {@link MapKeyFormat}), almost always 1.</li>
 *   <li><b>created</b>: when the value was put (a put that replaces a value sets it anew);
 *       expiry after creation counts from it.</li>
 *   <li><b>accessed</b>: the last read by key or write that was written down. Reads are batched
 *       (see {@link PersistentMap}), so after a crash it may be older than the last read, never
 *       newer; expiry after last access counts from it.</li>
 *   <li><b>keyLength, key</b>: 0 and nothing under a short key, whose stored key already is the
 *       key; the whole key under a digest, so that a lookup compares real keys and two keys
 *       with one digest stay two entries.</li>
 *   <li><b>valueLength, value</b>: the value codec's bytes.</li>
 *   <li><b>crc</b>: a CRC32C that also covers the stored key, so an envelope that is damaged, or
 *       that is whole but sits under the wrong key, fails the check. The stores check their own
 *       records too; this check is the map's own, and the one that names the map key.</li>
 * </ul>
 *
 * <h2>Worked example</h2>
 * {@code put("cat", "meow")} at 2026-01-01T00:00:00Z (1,767,225,600,000 ms) in a map with a
 * string codec and expiry: stored key {@code 01 63 61 74} (tag KEY, "cat"), and this 35-byte
 * value ({@code 3 + 24 + 0 + 4 + 4}), the golden file {@code golden/map-envelope-cat.bin}:
 * <pre>
 * 0000  01 00 01 00 00 01 9B 76 DA A8 00 00 00 01 9B 76
 * 0010  DA A8 00 00 00 00 00 00 00 00 04 6D 65 6F 77 0C
 * 0020  26 FB 71
 * </pre>
 * Read it as: {@code 01} version 1; {@code 00 01} one slot; {@code 00 00 01 9B 76 DA A8 00}
 * created, the same 8 bytes again for accessed; {@code 00 00 00 00} no key (it is in the stored
 * key); {@code 00 00 00 04} a 4-byte value, {@code 6D 65 6F 77} "meow"; {@code 0C 26 FB 71} the
 * CRC32C of {@code 01 63 61 74} followed by the 31 bytes before it.
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>count is at least 1: an empty bucket is deleted, never stored.</li>
 *   <li>Under a KEY-tagged stored key, count is 1 and keyLength is 0.</li>
 *   <li>Under a DIGEST-tagged stored key, every slot's key is longer than
 *       {@link MapKeyFormat#MAX_SHORT_KEY}, has that digest, and appears once.</li>
 *   <li>The slots end exactly where the crc begins.</li>
 * </ol>
 * A check that fails is a {@link CorruptionException} naming the map key and what was wrong,
 * never a wrong value.
 */
final class MapEnvelopeFormat {

    /** The first envelope format. */
    static final int VERSION_1 = 1;
    /** The version this code writes. */
    static final int VERSION_CURRENT = VERSION_1;

    static final int HEADER_SIZE = 1 + 2;
    static final int SLOT_HEADER_SIZE = 8 + 8 + 4 + 4;
    static final int CRC_SIZE = 4;

    /** The most slots a bucket can count (u16). */
    static final int MAX_SLOTS = 0xFFFF;

    /**
     * One entry in an envelope.
     *
     * @param key      the whole key in a bucket; empty under a short key (the stored key holds it)
     * @param created  when the value was put, ms since the epoch
     * @param accessed the last recorded read or write, ms since the epoch
     * @param value    the value codec's bytes
     */
    record Slot(byte[] key, long created, long accessed, byte[] value) {

        /** This slot with {@code accessed} moved to {@code at}, if that is later. */
        Slot accessedAt(long at) {
            return at <= accessed ? this : new Slot(key, created, at, value);
        }
    }

    private MapEnvelopeFormat() {
    }

    /**
     * The envelope for {@code slots} under {@code storedKey}. O(size).
     *
     * @throws IllegalArgumentException when the envelope would pass the store's value limit
     */
    static byte[] encode(byte[] storedKey, List<Slot> slots) {
        assert !slots.isEmpty() && slots.size() <= MAX_SLOTS : "invariant 1: 1 to 65535 slots, not " + slots.size();
        long size = HEADER_SIZE + CRC_SIZE;
        for (Slot slot : slots) {
            size += SLOT_HEADER_SIZE + slot.key().length + slot.value().length;
        }
        if (size > Limits.MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("the entry under " + MapKeyFormat.describe(storedKey) + " would be "
                    + size + " bytes in its envelope; the store's limit is " + Limits.MAX_VALUE_SIZE
                    + " bytes (16 MiB), and the envelope adds " + (HEADER_SIZE + SLOT_HEADER_SIZE + CRC_SIZE)
                    + " bytes and a long key to the value");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put((byte) VERSION_CURRENT).putShort((short) slots.size());
        for (Slot slot : slots) {
            out.putLong(slot.created()).putLong(slot.accessed());
            out.putInt(slot.key().length).put(slot.key());
            out.putInt(slot.value().length).put(slot.value());
        }
        out.putInt(crc(storedKey, out.array(), out.position()));
        return out.array();
    }

    /**
     * The slots of {@code envelope}, read from under {@code storedKey}, every check made. O(size).
     *
     * @throws CorruptionException naming the key and what failed
     */
    static List<Slot> decode(byte[] storedKey, byte[] envelope, MapKeyFormat keys) {
        if (envelope.length < HEADER_SIZE + CRC_SIZE) {
            throw damaged(storedKey, "envelope length", "at least " + (HEADER_SIZE + CRC_SIZE) + " bytes",
                    envelope.length + " bytes");
        }
        if (envelope[0] != VERSION_CURRENT) {
            throw damaged(storedKey, "envelope version", VERSION_CURRENT, envelope[0] & 0xFF);
        }
        int stored = ByteBuffer.wrap(envelope, envelope.length - CRC_SIZE, CRC_SIZE).getInt();
        int computed = crc(storedKey, envelope, envelope.length - CRC_SIZE);
        if (stored != computed) {
            throw damaged(storedKey, "envelope checksum (damaged, or under the wrong key)",
                    String.format("0x%08X", computed), String.format("0x%08X", stored));
        }
        ByteBuffer in = ByteBuffer.wrap(envelope, 0, envelope.length - CRC_SIZE);
        in.get();
        int count = in.getShort() & 0xFFFF;
        if (count == 0) {
            throw damaged(storedKey, "envelope slot count (invariant 1)", "at least 1", 0);
        }
        List<Slot> slots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.add(readSlot(storedKey, in, i));
        }
        if (in.hasRemaining()) {
            throw damaged(storedKey, "envelope end (invariant 4)", "the checksum after slot " + count,
                    in.remaining() + " more bytes");
        }
        checkKeys(storedKey, slots, keys);
        return slots;
    }

    /** Reads slot {@code index}, checking each length against the bytes left. */
    private static Slot readSlot(byte[] storedKey, ByteBuffer in, int index) {
        if (in.remaining() < SLOT_HEADER_SIZE) {
            throw damaged(storedKey, "envelope slot " + index + " header", SLOT_HEADER_SIZE + " bytes",
                    in.remaining() + " bytes");
        }
        long created = in.getLong();
        long accessed = in.getLong();
        byte[] key = readBytes(storedKey, in, "key", index);
        byte[] value = readBytes(storedKey, in, "value", index);
        return new Slot(key, created, accessed, value);
    }

    private static byte[] readBytes(byte[] storedKey, ByteBuffer in, String what, int index) {
        if (in.remaining() < 4) {
            throw damaged(storedKey, "envelope slot " + index + " " + what + " length", "4 bytes",
                    in.remaining() + " bytes");
        }
        long length = in.getInt() & 0xFFFFFFFFL;
        if (length > in.remaining()) {
            throw damaged(storedKey, "envelope slot " + index + " " + what + " length",
                    "at most the " + in.remaining() + " bytes left", length);
        }
        byte[] bytes = new byte[(int) length];
        in.get(bytes);
        return bytes;
    }

    /** Invariants 2 and 3: which keys a slot may hold under this stored key. */
    private static void checkKeys(byte[] storedKey, List<Slot> slots, MapKeyFormat keys) {
        if (!MapKeyFormat.isDigest(storedKey)) {
            if (slots.size() != 1 || slots.get(0).key().length != 0) {
                throw damaged(storedKey, "envelope under a short key (invariant 2)", "one slot with no key",
                        slots.size() + " slots, the first with a " + slots.get(0).key().length + "-byte key");
            }
            return;
        }
        byte[] digest = Arrays.copyOfRange(storedKey, 1, storedKey.length);
        for (int i = 0; i < slots.size(); i++) {
            byte[] key = slots.get(i).key();
            if (key.length <= MapKeyFormat.MAX_SHORT_KEY || !Arrays.equals(keys.digestOf(key), digest)) {
                throw damaged(storedKey, "envelope slot " + i + " key (invariant 3)",
                        "a key of over " + MapKeyFormat.MAX_SHORT_KEY + " bytes with this digest",
                        "a " + key.length + "-byte key " + Keys.toDisplay(key));
            }
            for (int j = 0; j < i; j++) {
                if (Arrays.equals(slots.get(j).key(), key)) {
                    throw damaged(storedKey, "envelope slot " + i + " key (invariant 3)", "a key no other slot has",
                            "the key of slot " + j);
                }
            }
        }
    }

    private static int crc(byte[] storedKey, byte[] envelope, int length) {
        CRC32C crc = new CRC32C();
        crc.update(storedKey);
        crc.update(envelope, 0, length);
        return (int) crc.getValue();
    }

    private static CorruptionException damaged(byte[] storedKey, String what, Object expected, Object actual) {
        return new CorruptionException(null, -1, "map entry under " + MapKeyFormat.describe(storedKey) + ": " + what,
                expected, actual);
    }
}
