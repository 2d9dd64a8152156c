package dev.kvbook.api;

import dev.kvbook.api.MapEnvelopeFormat.Slot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class MapEnvelopeFormatTest {

    private static final MapKeyFormat SHORT_KEYS =
            new MapKeyFormat(MapOptions.defaults().withExpireAfterCreation(Duration.ofDays(1)));
    private static final MapKeyFormat TINY_DIGESTS =
            new MapKeyFormat(MapOptions.defaults().withLongKeys(true).withDigestLength(1));
    private static final long NEW_YEAR = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** The worked example of the class Javadoc, byte for byte. */
    private static final String CAT_MEOW = "01 00 01 00 00 01 9B 76 DA A8 00 00 00 01 9B 76"
            + " DA A8 00 00 00 00 00 00 00 00 04 6D 65 6F 77 0C 26 FB 71";

    private static byte[] catKey() {
        return SHORT_KEYS.storedKey(Keys.utf8("cat"));
    }

    private static byte[] catMeow() {
        return MapEnvelopeFormat.encode(catKey(), List.of(new Slot(new byte[0], NEW_YEAR, NEW_YEAR, Keys.utf8("meow"))));
    }

    @Test
    void theWorkedExampleIsWhatTheCodeWrites() throws IOException {
        assertThat(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(catMeow())).isEqualTo(CAT_MEOW);
        assertThat(catMeow()).hasSize(MapEnvelopeFormat.HEADER_SIZE + MapEnvelopeFormat.SLOT_HEADER_SIZE + 4
                + MapEnvelopeFormat.CRC_SIZE);
        try (InputStream golden = getClass().getResourceAsStream("/golden/map-envelope-cat.bin")) {
            assertThat(golden).as("golden/map-envelope-cat.bin on the test class path").isNotNull();
            assertThat(golden.readAllBytes()).isEqualTo(catMeow());
        }
    }

    @Test
    void anEnvelopeDecodesToTheSlotItWasMadeFrom() {
        Slot slot = MapEnvelopeFormat.decode(catKey(), catMeow(), SHORT_KEYS).get(0);
        assertThat(slot.created()).isEqualTo(NEW_YEAR);
        assertThat(slot.accessed()).isEqualTo(NEW_YEAR);
        assertThat(slot.key()).isEmpty();
        assertThat(slot.value()).isEqualTo(Keys.utf8("meow"));
    }

    @Test
    void everyFlippedBitIsCorruptionNamingTheKeyNeverAWrongValue() {
        byte[] good = catMeow();
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                int at = i;
                assertThatThrownBy(() -> MapEnvelopeFormat.decode(catKey(), bad, SHORT_KEYS))
                        .as("byte %d bit %d", at, bit)
                        .isInstanceOf(CorruptionException.class).hasMessageContaining("key \"cat\"");
            }
        }
    }

    @Test
    void everyTruncationIsCorruption() {
        byte[] good = catMeow();
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> MapEnvelopeFormat.decode(catKey(), cut, SHORT_KEYS))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("key \"cat\"");
        }
    }

    @Test
    void aWholeEnvelopeUnderAnotherKeyFailsItsChecksum() {
        byte[] dog = SHORT_KEYS.storedKey(Keys.utf8("dog"));
        assertThatThrownBy(() -> MapEnvelopeFormat.decode(dog, catMeow(), SHORT_KEYS))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("key \"dog\"").hasMessageContaining("checksum");
    }

    @Test
    void aLaterVersionIsNamedAsSuch() {
        byte[] later = catMeow();
        later[0] = 2;
        assertThatThrownBy(() -> MapEnvelopeFormat.decode(catKey(), later, SHORT_KEYS))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("envelope version: expected 1 but found 2");
    }

    @Test
    void aBucketKeepsEveryLongKeyWithItsDigest() {
        byte[][] colliding = collidingLongKeys(TINY_DIGESTS, 3);
        byte[] storedKey = TINY_DIGESTS.storedKey(colliding[0]);
        List<Slot> slots = List.of(new Slot(colliding[0], 1, 2, Keys.utf8("zero")),
                new Slot(colliding[1], 3, 4, Keys.utf8("one")), new Slot(colliding[2], 5, 6, Keys.utf8("two")));
        List<Slot> back = MapEnvelopeFormat.decode(storedKey, MapEnvelopeFormat.encode(storedKey, slots), TINY_DIGESTS);
        assertThat(back).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(back.get(i).key()).isEqualTo(colliding[i]);
            assertThat(back.get(i).value()).isEqualTo(slots.get(i).value());
        }
    }

    @Test
    void aBucketSlotWhoseKeyHasAnotherDigestIsCorruption() {
        byte[][] colliding = collidingLongKeys(TINY_DIGESTS, 1);
        byte[] stranger = notColliding(TINY_DIGESTS, colliding[0]);
        byte[] storedKey = TINY_DIGESTS.storedKey(colliding[0]);
        byte[] envelope = MapEnvelopeFormat.encode(storedKey, List.of(new Slot(stranger, 1, 1, new byte[0])));
        assertThatThrownBy(() -> MapEnvelopeFormat.decode(storedKey, envelope, TINY_DIGESTS))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("invariant 3");
    }

    @Test
    void anEnvelopeOverTheStoresValueLimitIsRefusedSayingWhy() {
        byte[] huge = new byte[Limits.MAX_VALUE_SIZE];
        assertThatThrownBy(() -> MapEnvelopeFormat.encode(catKey(), List.of(new Slot(new byte[0], 0, 0, huge))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 MiB").hasMessageContaining("\"cat\"");
    }

    /** {@code count} long keys whose 1-byte digests are all equal. */
    static byte[][] collidingLongKeys(MapKeyFormat keys, int count) {
        byte[][] found = new byte[count][];
        byte target = keys.digestOf(longKey("0"))[0];
        int n = 0;
        for (int i = 0; n < count; i++) {
            byte[] candidate = longKey(Integer.toString(i));
            if (keys.digestOf(candidate)[0] == target) {
                found[n++] = candidate;
            }
            if (i > 100_000) {
                fail("no collisions in 100,000 tries with a 1-byte digest: the digest is not what the test thinks");
            }
        }
        return found;
    }

    /** A long key whose 1-byte digest differs from {@code key}'s. */
    static byte[] notColliding(MapKeyFormat keys, byte[] key) {
        for (int i = 0; ; i++) {
            byte[] candidate = longKey("other-" + i);
            if (keys.digestOf(candidate)[0] != keys.digestOf(key)[0]) {
                return candidate;
            }
        }
    }

    /** A key of 1100 bytes: {@code name}, a slash, then 'x' to the end. */
    static byte[] longKey(String name) {
        byte[] key = new byte[1100];
        Arrays.fill(key, (byte) 'x');
        byte[] head = Keys.utf8(name + "/");
        System.arraycopy(head, 0, key, 0, head.length);
        return key;
    }
}
