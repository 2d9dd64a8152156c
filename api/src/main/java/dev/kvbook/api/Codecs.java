package dev.kvbook.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Ready-made {@link Codec}s: strings, longs, byte arrays, Java serialization behind an
 * allow-list, and one codec wrapper, compression ({@link #deflated}).
 */
public final class Codecs {

    private Codecs() {
    }

    /** Strings as UTF-8. Bytes that are not valid UTF-8 are reported, not replaced with '?'. */
    public static final Codec<String> STRING = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new CorruptionException(null, -1, "value is not valid UTF-8: " + Keys.toDisplay(bytes), e);
            }
        }

        @Override
        public Class<String> type() {
            return String.class;
        }
    };

    /**
     * Longs as 8 big-endian bytes with the sign bit flipped, so that the unsigned byte order of
     * the encodings is the numeric order of the numbers: -1 sorts before 0, which sorts before 1.
     * Without the flip, negative numbers (sign bit set) would sort after all positive ones.
     */
    public static final Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return ByteBuffer.allocate(Long.BYTES).putLong(value ^ Long.MIN_VALUE).array();
        }

        @Override
        public Long decode(byte[] bytes) {
            if (bytes.length != Long.BYTES) {
                throw new CorruptionException(null, -1, "long value", Long.BYTES + " bytes", bytes.length + " bytes");
            }
            return ByteBuffer.wrap(bytes).getLong() ^ Long.MIN_VALUE;
        }

        @Override
        public Class<Long> type() {
            return Long.class;
        }
    };

    /** Byte arrays as themselves (copied both ways, so the map never shares an array with the caller). */
    public static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes.clone();
        }

        @Override
        public Class<byte[]> type() {
            return byte[].class;
        }
    };

    /**
     * Objects through Java serialization, reading back only the classes named in
     * {@code allowed} (plus strings, boxed primitives and primitive arrays).
     *
     * <p>Why the allow-list: {@code ObjectInputStream} instantiates whatever classes the stream
     * names, and some classes on a typical class path run code while being deserialized
     * ("gadget chains"). A stream from a file someone else could write must never pick its own
     * classes. Depth, array sizes and object counts are bounded too, so a crafted stream cannot
     * exhaust memory. A stream that breaks any rule is reported as {@link CorruptionException}.
     */
    public static <T extends Serializable> Codec<T> serializable(Class<T> type, Class<?>... allowed) {
        ObjectInputFilter filter = allowListFilter(type, Set.of(allowed));
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(value);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot serialize a " + value.getClass().getName(), e);
                }
                return bytes.toByteArray();
            }

            @Override
            public T decode(byte[] bytes) {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                    in.setObjectInputFilter(filter);
                    return type.cast(in.readObject());
                } catch (IOException | ClassNotFoundException | ClassCastException e) {
                    throw new CorruptionException(null, -1,
                            "value is not a serialized " + type.getName() + " built from allowed classes: " + e, e);
                }
            }

            @Override
            public Class<T> type() {
                return type;
            }
        };
    }

    /**
     * {@code inner}'s bytes compressed with DEFLATE ({@link Deflater}, the zlib format with its
     * Adler-32 check): a codec wrapper, the pattern {@link Codec} describes. Worth it for values of
     * a few hundred bytes or more that repeat themselves (text, JSON); a small value grows by the
     * format's 6 bytes or so. Decoding stops at {@link Limits#MAX_VALUE_SIZE} bytes, so a crafted
     * value cannot inflate without bound; bytes that do not inflate are a
     * {@link CorruptionException}. Costs one compression per write and one decompression per read.
     */
    public static <T> Codec<T> deflated(Codec<T> inner) {
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
                try {
                    deflater.setInput(inner.encode(value));
                    deflater.finish();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] chunk = new byte[8192];
                    while (!deflater.finished()) {
                        out.write(chunk, 0, deflater.deflate(chunk));
                    }
                    return out.toByteArray();
                } finally {
                    deflater.end();
                }
            }

            @Override
            public T decode(byte[] bytes) {
                Inflater inflater = new Inflater();
                try {
                    inflater.setInput(bytes);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] chunk = new byte[8192];
                    while (!inflater.finished()) {
                        int n = inflater.inflate(chunk);
                        if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                            throw new DataFormatException("the compressed bytes end early");
                        }
                        if (out.size() + n > Limits.MAX_VALUE_SIZE) {
                            throw new DataFormatException("inflates past " + Limits.MAX_VALUE_SIZE + " bytes");
                        }
                        out.write(chunk, 0, n);
                    }
                    return inner.decode(out.toByteArray());
                } catch (DataFormatException e) {
                    throw new CorruptionException(null, -1, "value is not DEFLATE-compressed bytes: " + e.getMessage(), e);
                } finally {
                    inflater.end();
                }
            }

            @Override
            public Class<T> type() {
                return inner.type();
            }
        };
    }

    /** Value types from java.lang whose deserialization runs no user code. */
    private static final Set<Class<?>> SAFE_JAVA_LANG = Set.of(String.class, Boolean.class, Character.class,
            Number.class, Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, Enum.class);

    /** The filter behind {@link #serializable}: named classes only, bounded graph. */
    static ObjectInputFilter allowListFilter(Class<?> type, Set<Class<?>> allowed) {
        return info -> {
            if (info.depth() > 32 || info.references() > 1_000_000 || info.arrayLength() > Limits.MAX_VALUE_SIZE) {
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            // Superclass descriptors are filtered too: Long brings Number, an enum brings Enum.
            boolean ok = c.isPrimitive() || c == type || allowed.contains(c) || SAFE_JAVA_LANG.contains(c);
            return ok ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        };
    }
}
