package dev.kvbook.api;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * The options record: what a {@link PersistentMap} with an envelope writes under the reserved
 * key {@link MapKeyFormat#OPTIONS_KEY} when it is created, and checks on every open, so that a
 * map is never read with options other than those it was written with. This Javadoc is the
 * specification; {@code MapOptionsFormatTest} pins it against the worked example below.
 *
 * <h2>Grammar</h2>
 * <pre>
 * options := magic:u32 version:u8 flags:u8 basis:u8 expireAfterMillis:i64 digestLength:u8 crc:u32
 *                                                               SIZE = 4 + 1 + 1 + 1 + 8 + 1 + 4 = 20
 * flags   := METADATA 0x01 | LONG_KEYS 0x02                     (other bits 0)
 * basis   := 0 no expiry | 1 after creation | 2 after last access
 * crc     := CRC32C of the 16 bytes before it
 * </pre>
 *
 * <h2>Fields</h2>
 * <table>
 * <caption>Options record (20 bytes)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>4</td><td>u32</td><td>magic {@code 0x4B56504D}, ASCII "KVPM" ({@link #MAGIC})</td></tr>
 * <tr><td>4</td><td>1</td><td>u8</td><td>format version, 1 ({@link #VERSION_CURRENT})</td></tr>
 * <tr><td>5</td><td>1</td><td>u8</td><td>flags: 0x01 metadata, 0x02 long keys</td></tr>
 * <tr><td>6</td><td>1</td><td>u8</td><td>expiry basis: 0 none, 1 creation, 2 last access
 *     ({@link MapOptions.Basis})</td></tr>
 * <tr><td>7</td><td>8</td><td>i64</td><td>expire after, milliseconds; 0 without expiry</td></tr>
 * <tr><td>15</td><td>1</td><td>u8</td><td>digest length, 1 to 32 with long keys; 0 without</td></tr>
 * <tr><td>16</td><td>4</td><td>u32</td><td>CRC32C of bytes 0 to 15</td></tr>
 * </table>
 *
 * <h2>Worked example</h2>
 * Expire 30 days after last access (2,592,000,000 ms), metadata on, long keys with full digests:
 * <pre>
 * 0000  4B 56 50 4D 01 03 02 00 00 00 00 9A 7E C8 00 20
 * 0010  FD 50 E3 C5
 * </pre>
 * {@code 4B 56 50 4D} "KVPM"; {@code 01} version 1; {@code 03} metadata and long keys;
 * {@code 02} after last access; {@code 00 00 00 00 9A 7E C8 00} 2,592,000,000 ms; {@code 20}
 * 32-byte digests; {@code FD 50 E3 C5} the CRC32C.
 *
 * <h2>Why a magic number in a value</h2>
 * A map with every feature off writes no options record, and a user's own key could, in
 * principle, be the reserved one. The magic and the exact length let such a map tell "an options
 * record: this map was made with features" from "some user's value".
 */
final class MapOptionsFormat {

    /** ASCII "KVPM": kvbook persistent map. */
    static final int MAGIC = 0x4B56504D;
    static final int VERSION_1 = 1;
    static final int VERSION_CURRENT = VERSION_1;

    static final int FLAG_METADATA = 0x01;
    static final int FLAG_LONG_KEYS = 0x02;
    static final int BASIS_NONE = 0;

    static final int SIZE = 4 + 1 + 1 + 1 + 8 + 1 + 4;

    /**
     * The options a map records.
     *
     * @param expiry       when entries expire, or {@code null}
     * @param metadata     whether access times are kept
     * @param longKeys     whether long keys are stored under digests
     * @param digestLength the digest's bytes with long keys, 0 without
     */
    record Recorded(MapOptions.Expiry expiry, boolean metadata, boolean longKeys, int digestLength) {

        /** In words, for an error message: {@code "expire 30d after last access, metadata"}. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            if (expiry != null) {
                out.append(expiry);
            }
            if (metadata) {
                out.append(out.isEmpty() ? "" : ", ").append("metadata");
            }
            if (longKeys) {
                out.append(out.isEmpty() ? "" : ", ").append("long keys (").append(digestLength)
                        .append("-byte digests)");
            }
            return out.isEmpty() ? "every feature off" : out.toString();
        }
    }

    private MapOptionsFormat() {
    }

    /**
     * The check every open makes, one store read: a map with an envelope finds its own options
     * recorded (a new, empty map records them now), and a map without one finds no options record.
     * Anything else is refused, because a map read with other options than it was written with
     * would show expired entries again, or look long keys up in the wrong place.
     *
     * @throws IllegalArgumentException naming the options recorded and those asked for, or saying
     *                                  that the store holds entries written without an envelope
     * @throws CorruptionException      when the options record is damaged
     */
    static void checkOrRecord(KeyValueStore store, MapOptions options) {
        byte[] recorded = store.get(MapKeyFormat.OPTIONS_KEY);
        Recorded asked = options.recorded();
        if (!options.usesEnvelope()) {
            if (recorded != null && looksLikeOptions(recorded)) {
                throw mismatch(decode(recorded), asked);
            }
            return;
        }
        if (recorded == null) {
            long entries = store.size();
            if (entries > 0) {
                throw new IllegalArgumentException("the store holds " + Plural.of(entries, "entry", "entries")
                        + " and no map options record, so they were written without an envelope (by a map with every"
                        + " feature off, or through the store itself); open it with MapOptions.defaults(), or copy"
                        + " the entries into a new map with " + asked);
            }
            store.put(MapKeyFormat.OPTIONS_KEY, encode(asked));
            return;
        }
        Recorded found = decode(recorded);
        if (!found.equals(asked)) {
            throw mismatch(found, asked);
        }
    }

    private static IllegalArgumentException mismatch(Recorded found, Recorded asked) {
        return new IllegalArgumentException("this map was created with " + found + " and cannot be opened with "
                + asked + ": its bytes mean what its own options say; open it with the options it was created with");
    }

    /** The 20-byte record of {@code options}. */
    static byte[] encode(Recorded options) {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putInt(MAGIC).put((byte) VERSION_CURRENT);
        out.put((byte) ((options.metadata() ? FLAG_METADATA : 0) | (options.longKeys() ? FLAG_LONG_KEYS : 0)));
        MapOptions.Expiry expiry = options.expiry();
        out.put((byte) (expiry == null ? BASIS_NONE : expiry.basis().code));
        out.putLong(expiry == null ? 0 : expiry.after().toMillis());
        out.put((byte) options.digestLength());
        out.putInt(crc(out.array()));
        return out.array();
    }

    /** Whether {@code bytes} is an options record (right length and magic), however damaged otherwise. */
    static boolean looksLikeOptions(byte[] bytes) {
        return bytes.length == SIZE && ByteBuffer.wrap(bytes).getInt() == MAGIC;
    }

    /**
     * The options in {@code bytes}, every field checked.
     *
     * @throws CorruptionException naming the field, expected and found
     */
    static Recorded decode(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw damaged("length", SIZE + " bytes", bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw damaged("magic", String.format("0x%08X", MAGIC), String.format("0x%08X", magic));
        }
        int version = in.get() & 0xFF;
        if (version != VERSION_CURRENT) {
            throw damaged("version", VERSION_CURRENT, version);
        }
        int crc = ByteBuffer.wrap(bytes, SIZE - 4, 4).getInt();
        if (crc != crc(bytes)) {
            throw damaged("checksum", String.format("0x%08X", crc(bytes)), String.format("0x%08X", crc));
        }
        int flags = in.get() & 0xFF;
        int basis = in.get() & 0xFF;
        long after = in.getLong();
        int digestLength = in.get() & 0xFF;
        if ((flags & ~(FLAG_METADATA | FLAG_LONG_KEYS)) != 0) {
            throw damaged("flags", "only 0x01 and 0x02", String.format("0x%02X", flags));
        }
        boolean longKeys = (flags & FLAG_LONG_KEYS) != 0;
        if (longKeys ? digestLength < 1 || digestLength > MapOptions.FULL_DIGEST : digestLength != 0) {
            throw damaged("digest length", longKeys ? "1 to 32" : "0 without long keys", digestLength);
        }
        return new Recorded(expiry(basis, after), (flags & FLAG_METADATA) != 0, longKeys, digestLength);
    }

    private static MapOptions.Expiry expiry(int basis, long after) {
        if (basis == BASIS_NONE) {
            if (after != 0) {
                throw damaged("expire-after without expiry", 0, after);
            }
            return null;
        }
        for (MapOptions.Basis b : MapOptions.Basis.values()) {
            if (b.code == basis) {
                if (after <= 0) {
                    throw damaged("expire-after", "at least 1 ms", after + " ms");
                }
                return new MapOptions.Expiry(Duration.ofMillis(after), b);
            }
        }
        throw damaged("expiry basis", "0, 1 or 2", basis);
    }

    private static int crc(byte[] record) {
        CRC32C crc = new CRC32C();
        crc.update(record, 0, SIZE - 4);
        return (int) crc.getValue();
    }

    private static CorruptionException damaged(String what, Object expected, Object actual) {
        return new CorruptionException(null, -1, "map options record (the reserved key "
                + Keys.toDisplay(MapKeyFormat.OPTIONS_KEY) + "): " + what, expected, actual);
    }
}
