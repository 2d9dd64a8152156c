package dev.kvbook.api;

import dev.kvbook.api.MapEnvelopeFormat.Slot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries a {@link PersistentMap} keeps under one stored key, and the one rule that finds a
 * key's entry among them. {@link MapCore} reads a bucket, decides, and writes the bucket back.
 *
 * <h2>Three shapes, one rule</h2>
 * <ul>
 *   <li><b>Every feature off</b>: the stored value is the value itself, no envelope. The bucket
 *       holds one slot with no key and no times.</li>
 *   <li><b>A short key</b> (tag KEY, see {@link MapKeyFormat}): an envelope of one slot with no
 *       key, because the stored key already is the key.</li>
 *   <li><b>A long key</b> (tag DIGEST): an envelope of every long key with that digest, each with
 *       its whole key beside its value. Almost always one; with a short digest, often several.</li>
 * </ul>
 * The rule ({@link #slotOf}): under a digest, a slot is a key's only if it holds that very key,
 * because two keys with one digest are two entries; anywhere else the bucket's one slot is the
 * key's, because a key has exactly one stored key.
 *
 * <h2>Why the whole bucket is rewritten</h2>
 * A put, remove or access-time write changes one slot, but the store holds the bucket as one
 * value, so it writes the whole bucket back in one store {@code put} (or a {@code delete} when no
 * slot is left: an empty bucket is never stored). That keeps every other key of the bucket, and a
 * crash leaves the bucket as it was before or after, never half-changed. The cost: a long key's
 * put reads its bucket first, even when the caller does not want the previous value.
 *
 * <p>A bucket is immutable: {@link #without}, {@link #plus} and {@link #replacing} return new
 * ones. Whether a slot is live (expiry) is not its business; {@link MapCore#expired} decides that.
 */
final class Bucket {

    /** The key field of a slot whose stored key is its key: a short key, or a map with every feature off. */
    private static final byte[] NO_KEY = new byte[0];

    private final byte[] storedKey;
    private final boolean envelope;
    private final List<Slot> slots;

    private Bucket(byte[] storedKey, boolean envelope, List<Slot> slots) {
        this.storedKey = storedKey;
        this.envelope = envelope;
        this.slots = List.copyOf(slots);
    }

    /**
     * The bucket {@code stored} under {@code storedKey}, or an empty one when {@code stored} is
     * {@code null}. With an envelope every check is made: the stored key's tag
     * ({@link MapKeyFormat#checkTag}, for keys met in the store's iterator) and the envelope's
     * ({@link MapEnvelopeFormat#decode}). O(size of {@code stored}).
     *
     * @param envelope whether the map stores envelopes (expiry, metadata or long keys)
     * @throws CorruptionException naming the key and the check that failed
     */
    static Bucket read(byte[] storedKey, byte[] stored, boolean envelope, MapKeyFormat keys) {
        if (stored == null) {
            return new Bucket(storedKey, envelope, List.of());
        }
        if (!envelope) {
            // A copy, because the caller may keep the value and the cache keeps the original.
            return new Bucket(storedKey, false, List.of(new Slot(NO_KEY, 0, 0, stored.clone())));
        }
        MapKeyFormat.checkTag(storedKey);
        return new Bucket(storedKey, true, MapEnvelopeFormat.decode(storedKey, stored, keys));
    }

    /** The stored key this bucket lives under. */
    byte[] storedKey() {
        return storedKey;
    }

    /** Every slot, in stored order. */
    List<Slot> slots() {
        return slots;
    }

    /** {@code key}'s slot (the key codec's bytes), or {@code null}: the rule above. O(slots). */
    Slot slotOf(byte[] key) {
        int i = indexOf(key);
        return i < 0 ? null : slots.get(i);
    }

    /** The key codec's bytes of {@code slot}: its own key in a bucket of long keys, else the stored key's. */
    byte[] keyOf(Slot slot) {
        if (!envelope) {
            return storedKey;
        }
        return isDigest() ? slot.key() : MapKeyFormat.keyOf(storedKey);
    }

    /** This bucket without {@code key}'s slot (the same slots when it has none). */
    Bucket without(byte[] key) {
        List<Slot> rest = new ArrayList<>(slots);
        int i = indexOf(key);
        if (i >= 0) {
            rest.remove(i);
        }
        return new Bucket(storedKey, envelope, rest);
    }

    /** This bucket with a new last slot: {@code key} holds {@code value}, created and accessed {@code at}. */
    Bucket plus(byte[] key, byte[] value, long at) {
        List<Slot> more = new ArrayList<>(slots);
        more.add(new Slot(isDigest() ? key.clone() : NO_KEY, at, at, value));
        return new Bucket(storedKey, envelope, more);
    }

    /** This bucket with {@code key}'s slot replaced, in its place, by {@code by}. */
    Bucket replacing(byte[] key, Slot by) {
        List<Slot> changed = new ArrayList<>(slots);
        changed.set(indexOf(key), by);
        return new Bucket(storedKey, envelope, changed);
    }

    /**
     * What to store under {@link #storedKey}: the value itself with every feature off, else the
     * envelope of every slot; {@code null} when no slot is left, meaning delete the stored key.
     *
     * @throws IllegalArgumentException when the envelope would pass the store's value limit
     */
    byte[] encode() {
        if (slots.isEmpty()) {
            return null;
        }
        return envelope ? MapEnvelopeFormat.encode(storedKey, slots) : slots.get(0).value();
    }

    /** Where {@code key}'s slot is in {@link #slots}, or -1: the rule above. */
    private int indexOf(byte[] key) {
        for (int i = 0; i < slots.size(); i++) {
            if (!isDigest() || Arrays.equals(slots.get(i).key(), key)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether this is a bucket of long keys; never with every feature off, whose keys carry no tag. */
    private boolean isDigest() {
        return envelope && MapKeyFormat.isDigest(storedKey);
    }
}
