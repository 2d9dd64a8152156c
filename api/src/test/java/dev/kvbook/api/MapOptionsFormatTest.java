package dev.kvbook.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapOptionsFormatTest {

    private static final MapOptions EXAMPLE = MapOptions.defaults().withExpireAfterAccess(Duration.ofDays(30))
            .withMetadata(true).withLongKeys(true);

    @Test
    void theWorkedExampleIsWhatTheCodeWrites() throws IOException {
        byte[] record = MapOptionsFormat.encode(EXAMPLE.recorded());
        assertThat(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(record))
                .isEqualTo("4B 56 50 4D 01 03 02 00 00 00 00 9A 7E C8 00 20 FD 50 E3 C5");
        try (InputStream golden = getClass().getResourceAsStream("/golden/map-options.bin")) {
            assertThat(golden).as("golden/map-options.bin on the test class path").isNotNull();
            assertThat(golden.readAllBytes()).isEqualTo(record);
        }
    }

    @Test
    void everyRecordedOptionSurvivesTheRoundTrip() {
        MapOptions[] all = {
            MapOptions.defaults().withMetadata(true),
            MapOptions.defaults().withExpireAfterCreation(Duration.ofMillis(1)),
            MapOptions.defaults().withExpireAfterAccess(Duration.ofDays(3650)).withLongKeys(true).withDigestLength(1),
            EXAMPLE,
        };
        for (MapOptions options : all) {
            assertThat(MapOptionsFormat.decode(MapOptionsFormat.encode(options.recorded()))).isEqualTo(options.recorded());
        }
    }

    @Test
    void everyFlippedBitAndEveryTruncationIsCorruption() {
        byte[] good = MapOptionsFormat.encode(EXAMPLE.recorded());
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> MapOptionsFormat.decode(bad)).isInstanceOf(CorruptionException.class)
                        .hasMessageContaining("map options record");
            }
            byte[] cut = Arrays.copyOf(good, i);
            assertThatThrownBy(() -> MapOptionsFormat.decode(cut)).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void theProcessOnlyOptionsAreNotRecorded() {
        MapOptions tuned = EXAMPLE.withReadCache(10, 1000).withSweepEvery(Duration.ofMinutes(1)).withAccessBatch(7)
                .withSweepOnOpen(false);
        assertThat(tuned.recorded()).isEqualTo(EXAMPLE.recorded());
        assertThat(MapOptions.defaults().withDigestLength(1).recorded())
                .as("the digest length means nothing without long keys").isEqualTo(MapOptions.defaults().recorded());
    }
}
