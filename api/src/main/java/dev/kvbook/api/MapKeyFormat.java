package dev.kvbook.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * How a {@link PersistentMap} names its entries in the store: the stored key for each map key.
 * This Javadoc is the specification; {@code MapKeyFormatTest} pins it.
 *
 * <h2>With every feature off</h2>
 * The stored key is the key codec's bytes, unchanged, 0 to 1024 bytes: the bare map of old.
 *
 * <h2>With the envelope on (expiry, metadata or long keys)</h2>
 * <pre>
 * stored-key := tag:u8 payload
 *
 *   tag 0x00 RESERVED  payload: the name of one of the map's own records;
 *                       "kvbook.map.options" holds the options ({@link MapOptionsFormat})
 *   tag 0x01 KEY       payload: the key codec's bytes, 0 to 1023 bytes (1024 less the tag)
 *   tag 0x02 DIGEST    payload: the first digestLength bytes of SHA-256(key codec's bytes),
 *                       for a key of more than 1023 bytes (only with long keys on)
 * </pre>
 *
 * <h2>Why a tag on every key</h2>
 * A digest is just bytes: without tags, the digest of some long key could equal a short key that
 * someone stored, and the two entries would overwrite each other. With a tag, a short key and a
 * digest can never be the same stored key, and the map's own records (tag 0x00) can never be
 * either. The tag costs one byte of every key, which is why a short key may have 1023 bytes, not
 * 1024.
 *
 * <h2>Why a digest can be shared, and what then</h2>
 * Two long keys may have the same digest: never in practice with all 32 bytes of SHA-256, often
 * with the 1-byte digests tests use. So the value under a digest is a <em>bucket</em>: every entry
 * whose key has that digest, each with its whole key ({@link MapEnvelopeFormat}), and a lookup
 * compares whole keys. A bucket is rewritten in one store {@code put}, so an entry never half-joins it.
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>Tag codes are never reused; a stored key with any other tag is corruption.</li>
 *   <li>A KEY payload is at most {@link #MAX_SHORT_KEY} bytes; a key that fits is never stored
 *       under a digest, so each key has exactly one stored key.</li>
 * </ol>
 */
final class MapKeyFormat {

    /** The map's own records: do not change. */
    static final int TAG_RESERVED = 0x00;
    /** A key stored as itself: do not change. */
    static final int TAG_KEY = 0x01;
    /** A long key stored under its digest: do not change. */
    static final int TAG_DIGEST = 0x02;

    /** The longest key stored as itself when the envelope is on: the store's limit less the tag. */
    static final int MAX_SHORT_KEY = Limits.MAX_KEY_SIZE - 1;

    /** Where the options record lives: tag 0x00, then "kvbook.map.options" in ASCII. */
    static final byte[] OPTIONS_KEY = reserved("kvbook.map.options");

    private final boolean envelope;
    private final boolean longKeys;
    private final int digestLength;

    /** The stored keys of a map with {@code options}. */
    MapKeyFormat(MapOptions options) {
        this.envelope = options.usesEnvelope();
        this.longKeys = options.longKeys();
        this.digestLength = options.digestLength();
    }

    /**
     * The stored key for {@code key} (the key codec's bytes). O(1), or one SHA-256 over the key
     * when it is long.
     *
     * @throws IllegalArgumentException when the key is too long for this map, naming the limit
     */
    byte[] storedKey(byte[] key) {
        if (!envelope) {
            return Limits.checkKey(key);
        }
        if (key.length <= MAX_SHORT_KEY) {
            return tagged(TAG_KEY, key);
        }
        if (!longKeys) {
            throw new IllegalArgumentException("key is " + key.length + " bytes; the limit is " + MAX_SHORT_KEY
                    + " bytes in a map with an envelope (one byte of the store's " + Limits.MAX_KEY_SIZE
                    + " tags the key); MapOptions.withLongKeys(true) stores longer keys under a digest");
        }
        return tagged(TAG_DIGEST, Arrays.copyOf(sha256(key), digestLength));
    }

    /** Whether {@code storedKey} names a bucket of long keys. */
    static boolean isDigest(byte[] storedKey) {
        return storedKey.length > 0 && storedKey[0] == TAG_DIGEST;
    }

    /** Whether {@code storedKey} is one of the map's own records, not an entry. */
    static boolean isReserved(byte[] storedKey) {
        return storedKey.length > 0 && storedKey[0] == TAG_RESERVED;
    }

    /**
     * Checks that {@code storedKey} starts with a tag this format knows.
     *
     * @throws CorruptionException when it does not: something other than a map wrote to the store
     */
    static void checkTag(byte[] storedKey) {
        if (storedKey.length == 0 || storedKey[0] != TAG_KEY && storedKey[0] != TAG_DIGEST
                && storedKey[0] != TAG_RESERVED) {
            throw new CorruptionException(null, -1, "map key tag of stored key " + Keys.toDisplay(storedKey),
                    "0x00, 0x01 or 0x02", storedKey.length == 0 ? "an empty key" : String.format("0x%02X", storedKey[0]));
        }
    }

    /** The key of a KEY-tagged stored key: its payload. */
    static byte[] keyOf(byte[] storedKey) {
        assert storedKey.length > 0 && storedKey[0] == TAG_KEY : "only a KEY-tagged stored key holds its key";
        return Arrays.copyOfRange(storedKey, 1, storedKey.length);
    }

    /** The digest a long key is stored under (the payload of its DIGEST stored key). */
    byte[] digestOf(byte[] key) {
        return Arrays.copyOf(sha256(key), digestLength);
    }

    /** Names a stored key for a person: {@code key "cat"} or {@code long key with digest 0x1f2e...}. */
    static String describe(byte[] storedKey) {
        if (storedKey.length > 0 && storedKey[0] == TAG_KEY) {
            return "key " + Keys.toDisplay(Arrays.copyOfRange(storedKey, 1, storedKey.length));
        }
        if (isDigest(storedKey)) {
            return "long key with digest " + Keys.toDisplay(Arrays.copyOfRange(storedKey, 1, storedKey.length));
        }
        return "stored key " + Keys.toDisplay(storedKey);
    }

    private static byte[] tagged(int tag, byte[] payload) {
        byte[] stored = new byte[1 + payload.length];
        stored[0] = (byte) tag;
        System.arraycopy(payload, 0, stored, 1, payload.length);
        return stored;
    }

    private static byte[] reserved(String name) {
        return tagged(TAG_RESERVED, name.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
