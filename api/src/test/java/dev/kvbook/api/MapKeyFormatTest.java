package dev.kvbook.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapKeyFormatTest {

    private static final MapKeyFormat PLAIN = new MapKeyFormat(MapOptions.defaults());
    private static final MapKeyFormat ENVELOPE =
            new MapKeyFormat(MapOptions.defaults().withExpireAfterCreation(Duration.ofHours(1)));
    private static final MapKeyFormat LONG_KEYS = new MapKeyFormat(MapOptions.defaults().withLongKeys(true));

    @Test
    void withEveryFeatureOffTheStoredKeyIsTheKeyItself() {
        byte[] key = Keys.utf8("cat");
        assertThat(PLAIN.storedKey(key)).isEqualTo(key);
        assertThat(PLAIN.storedKey(new byte[Limits.MAX_KEY_SIZE])).hasSize(Limits.MAX_KEY_SIZE);
        assertThatThrownBy(() -> PLAIN.storedKey(new byte[Limits.MAX_KEY_SIZE + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
    }

    @Test
    void withAnEnvelopeAShortKeyIsTaggedAndItsLimitIsOneByteLess() {
        assertThat(ENVELOPE.storedKey(Keys.utf8("cat"))).containsExactly(0x01, 'c', 'a', 't');
        assertThat(ENVELOPE.storedKey(new byte[MapKeyFormat.MAX_SHORT_KEY])).hasSize(Limits.MAX_KEY_SIZE);
        assertThatThrownBy(() -> ENVELOPE.storedKey(new byte[Limits.MAX_KEY_SIZE]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1023").hasMessageContaining("withLongKeys(true)");
    }

    @Test
    void aLongKeyIsStoredUnderItsTaggedDigest() {
        byte[] key = new byte[5000];
        byte[] stored = LONG_KEYS.storedKey(key);
        assertThat(stored).hasSize(1 + MapOptions.FULL_DIGEST);
        assertThat(stored[0]).isEqualTo((byte) MapKeyFormat.TAG_DIGEST);
        assertThat(Arrays.copyOfRange(stored, 1, stored.length)).isEqualTo(LONG_KEYS.digestOf(key));
    }

    @Test
    void aDigestCanNeverBeTheStoredKeyOfAShortKey() {
        byte[] longKey = new byte[2000];
        byte[] digestStored = LONG_KEYS.storedKey(longKey);
        // The short key made of exactly the digest's bytes still gets its own tag.
        byte[] impostor = Arrays.copyOfRange(digestStored, 1, digestStored.length);
        assertThat(LONG_KEYS.storedKey(impostor)).isNotEqualTo(digestStored);
        byte[] impostorWithTag = digestStored.clone();
        assertThat(LONG_KEYS.storedKey(impostorWithTag)).isNotEqualTo(digestStored);
    }

    @Test
    void theOptionsRecordsKeyIsReservedAndAnUnknownTagIsCorruption() {
        assertThat(MapKeyFormat.isReserved(MapKeyFormat.OPTIONS_KEY)).isTrue();
        assertThat(MapKeyFormat.isReserved(ENVELOPE.storedKey(new byte[0]))).isFalse();
        assertThatThrownBy(() -> MapKeyFormat.checkTag(new byte[] {0x07, 'x'}))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("0x07");
    }
}
