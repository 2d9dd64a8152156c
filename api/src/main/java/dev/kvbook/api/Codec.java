package dev.kvbook.api;

/**
 * Turns values of type {@code T} into bytes and back, so a {@link PersistentMap} can store
 * strings, numbers or objects in a store that only knows bytes. Ready-made codecs are in
 * {@link Codecs}.
 *
 * <p>A codec must be a bijection on the values it accepts: {@code decode(encode(x))} equals
 * {@code x}, and two different values never encode to the same bytes (otherwise two map keys
 * would collide in the store).
 */
public interface Codec<T> {

    /** Encodes {@code value}; never returns {@code null}. */
    byte[] encode(T value);

    /** Decodes bytes produced by {@link #encode}; bytes it cannot decode throw {@link CorruptionException}. */
    T decode(byte[] bytes);

    /** The Java type this codec handles, so a map can reject a lookup with a key of another type. */
    Class<T> type();
}
