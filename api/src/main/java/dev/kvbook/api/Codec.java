package dev.kvbook.api;

/**
 * Turns values of type {@code T} into bytes and back, so a {@link PersistentMap} can store
 * strings, numbers or objects in a store that only knows bytes. Ready-made codecs are in
 * {@link Codecs}.
 *
 * <p>A codec must be a bijection on the values it accepts: {@code decode(encode(x))} equals
 * {@code x}, and two different values never encode to the same bytes (otherwise two map keys
 * would collide in the store). {@code encode} returns a new array each time: the map may keep it
 * (in its read cache) after the call.
 *
 * <h2>Wrapping a codec: compression, encryption</h2>
 * A codec that transforms another codec's bytes adds a feature to every map without the map
 * knowing: {@link Codecs#deflated} compresses values, in about twenty lines. Write one the same
 * way: {@code encode} calls the inner codec and transforms its bytes, {@code decode} undoes the
 * transform and calls the inner codec, and bytes it cannot undo are a {@link CorruptionException},
 * never a wrong value. An encrypting codec would use an authenticated cipher (AES-GCM from
 * {@code javax.crypto}) with a fresh random nonce stored before the ciphertext, so that tampered
 * bytes fail the tag check and throw. Two cautions: wrap <em>values</em>, not keys, unless the
 * transform is deterministic (a random nonce gives one key many encodings, and lookups would never
 * find it); and a wrapper changes the bytes on disk, so a map must always be opened with the same
 * wrappers.
 */
public interface Codec<T> {

    /** Encodes {@code value} into a new array; never returns {@code null}. */
    byte[] encode(T value);

    /** Decodes bytes produced by {@link #encode}; bytes it cannot decode throw {@link CorruptionException}. */
    T decode(byte[] bytes);

    /** The Java type this codec handles, so a map can reject a lookup with a key of another type. */
    Class<T> type();
}
