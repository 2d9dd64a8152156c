package dev.kvbook.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys too long for a store (1100 bytes), chosen so that several share the first byte of their
 * SHA-256: under a map's 1-byte digests ({@code MapOptions.withDigestLength(1)}) they land in one
 * bucket, and the collision path runs.
 */
final class LongKeys {

    private LongKeys() {
    }

    /** {@code count} long keys whose SHA-256 digests all start with the same byte. */
    static List<String> colliding(int count) {
        List<String> found = new ArrayList<>();
        byte target = sha256(key(0))[0];
        for (int i = 0; found.size() < count; i++) {
            if (sha256(key(i))[0] == target) {
                found.add(key(i));
            }
        }
        return found;
    }

    /** The {@code i}th long key: {@code long-<i>-} and then 'x' up to 1100 bytes. */
    static String key(int i) {
        String head = "long-" + i + "-";
        return head + "x".repeat(1100 - head.length());
    }

    /** A key for people: long ones cut to their head and length. */
    static String shown(String key) {
        return key.length() > 12 ? key.substring(0, 8) + "...(" + key.length() + " chars)" : key;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
