package dev.kvbook.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecsTest {

    record Point(int x, int y, String label) implements Serializable {
    }

    @Test
    void stringsRoundTripAsUtf8AndInvalidUtf8IsReported() {
        assertThat(Codecs.STRING.decode(Codecs.STRING.encode("grüße ✓"))).isEqualTo("grüße ✓");
        assertThatThrownBy(() -> Codecs.STRING.decode(new byte[] {(byte) 0xc3}))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void longEncodingsSortInNumericOrder() {
        List<Long> numbers = List.of(Long.MIN_VALUE, -1000L, -1L, 0L, 1L, 255L, 256L, Long.MAX_VALUE);
        List<byte[]> encoded = new ArrayList<>(numbers.stream().map(Codecs.LONG::encode).toList());
        encoded.sort(Keys.COMPARATOR);
        assertThat(encoded.stream().map(Codecs.LONG::decode).toList()).containsExactlyElementsOf(numbers);
        assertThatThrownBy(() -> Codecs.LONG.decode(new byte[3])).isInstanceOf(CorruptionException.class);
    }

    @Test
    void byteArraysAreCopiedBothWays() {
        byte[] original = {1, 2, 3};
        byte[] encoded = Codecs.BYTES.encode(original);
        original[0] = 9;
        assertThat(encoded).containsExactly(1, 2, 3);
    }

    @Test
    void serializableCodecRoundTripsAllowedClasses() {
        Codec<Point> codec = Codecs.serializable(Point.class);
        Point p = new Point(3, 4, "home");
        assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
    }

    @Test
    void serializableCodecRejectsClassesNotOnTheAllowList() throws Exception {
        ByteArrayOutputStream hostile = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(hostile)) {
            HashMap<String, String> notAllowed = new HashMap<>();
            notAllowed.put("a", "b");
            out.writeObject(notAllowed);
        }
        Codec<Point> codec = Codecs.serializable(Point.class);
        assertThatThrownBy(() -> codec.decode(hostile.toByteArray()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("allowed");
    }

    @Test
    void limitsNameTheRuleThatWasBroken() {
        assertThatThrownBy(() -> Limits.checkKey(new byte[1025])).hasMessageContaining("1024");
        assertThatThrownBy(() -> Limits.checkKey(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThat(Limits.checkBound(null)).isNull();
    }

    @Test
    void keysDisplayAsTextOrHex() {
        assertThat(Keys.toDisplay(Keys.utf8("abc"))).isEqualTo("\"abc\"");
        assertThat(Keys.toDisplay(new byte[] {0, (byte) 0xff})).isEqualTo("0x00ff");
        assertThat(Keys.toDisplay(new byte[40])).endsWith("...(40 bytes)");
        assertThat(new Entry(Keys.utf8("k"), Keys.utf8("v"))).isEqualTo(new Entry(Keys.utf8("k"), Keys.utf8("v")));
    }

    @Test
    void aDeflatedCodecShrinksRepetitiveValuesAndRoundTrips() {
        Codec<String> deflated = Codecs.deflated(Codecs.STRING);
        String json = "{\"name\": \"kvbook\", \"tags\": [\"storage\", \"storage\", \"storage\"]}".repeat(20);
        byte[] encoded = deflated.encode(json);
        assertThat(encoded.length).isLessThan(Codecs.STRING.encode(json).length / 5);
        assertThat(deflated.decode(encoded)).isEqualTo(json);
        assertThat(deflated.decode(deflated.encode(""))).isEmpty();
        assertThat(deflated.type()).isEqualTo(String.class);
    }

    @Test
    void bytesThatDoNotInflateAreCorruptionNotAWrongValue() {
        Codec<String> deflated = Codecs.deflated(Codecs.STRING);
        byte[] good = deflated.encode("hello, hello, hello");
        assertThatThrownBy(() -> deflated.decode(new byte[] {1, 2, 3})).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> deflated.decode(java.util.Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(CorruptionException.class);
        byte[] flipped = good.clone();
        flipped[good.length - 1] ^= 1; // inside the Adler-32 check
        assertThatThrownBy(() -> deflated.decode(flipped)).isInstanceOf(CorruptionException.class);
    }
}
