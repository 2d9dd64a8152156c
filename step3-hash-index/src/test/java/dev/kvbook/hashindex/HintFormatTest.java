package dev.kvbook.hashindex;

import dev.kvbook.testkit.GoldenFiles;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.applog.LogFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hint file format, pinned byte for byte by a golden file, and each of its checks. */
// design: pins the reference hint format byte for byte (golden file, field offsets); a build-lab format has its own bytes.
@Tag("design:step3.build-hints-merge")
class HintFormatTest {

    static final Path HINT = Path.of("000001.hint");

    /** Step 2's worked example as segment 1: put cat, put dog, delete cat (58 bytes). */
    static final List<HintFormat.Entry> EXAMPLE = List.of(
            new HintFormat.Entry(LogFormat.TYPE_PUT, utf8("cat"), 8, 18),
            new HintFormat.Entry(LogFormat.TYPE_PUT, utf8("dog"), 26, 18),
            new HintFormat.Entry(LogFormat.TYPE_TOMBSTONE, utf8("cat"), 44, 14));

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    static byte[] golden() {
        return GoldenFiles.read("000001.hint");
    }

    @Tag("lab:step3.hint-encode")
    @Test
    void encodingTheWorkedExampleGivesTheGoldenFileByteForByte() throws IOException {
        byte[] encoded = bytes(HintFormat.encode(1, 58, EXAMPLE));
        assertThat(encoded).hasSize(94);
        GoldenFiles.assertMatches("000001.hint", encoded);
    }

    @Tag("lab:step3.hint-encode")
    @Test
    void aHintOfNoEntriesIsItsHeaderAloneWithItsChecksum() {
        ByteBuffer hint = HintFormat.encode(7, LogFormat.FILE_HEADER_SIZE, List.of());
        assertThat(hint.remaining()).isEqualTo(HintFormat.HEADER_SIZE);
        assertThat(hint.getInt(0)).as("magic").isEqualTo(0x4B564849);
        assertThat(hint.getInt(4)).as("version").isEqualTo(1);
        assertThat(hint.getInt(8)).as("segment").isEqualTo(7);
        assertThat(hint.getLong(12)).as("segment size").isEqualTo(LogFormat.FILE_HEADER_SIZE);
        assertThat(hint.getInt(20)).as("entries").isZero();
        assertThat(hint.getInt(24)).as("CRC32C of bytes 0..23").isEqualTo(crc32c(bytes(hint), 0, 24));
    }

    @Tag("lab:step3.hint-encode")
    @Test
    void eachEntryCarriesTheChecksumOfItsOwnBytesAfterTheChecksum() {
        byte[] key = new byte[1024];
        Arrays.fill(key, (byte) 0xAB);
        byte[] hint = bytes(HintFormat.encode(9, 8 + 11 + 1024, List.of(new HintFormat.Entry(LogFormat.TYPE_PUT, key, 8, 11 + 1024))));
        int entry = HintFormat.HEADER_SIZE;
        assertThat(hint).hasSize(entry + HintFormat.ENTRY_HEADER_SIZE + 1024);
        ByteBuffer b = ByteBuffer.wrap(hint);
        assertThat(b.get(entry + 4)).as("type").isEqualTo(LogFormat.TYPE_PUT);
        assertThat(b.getShort(entry + 5)).as("key length").isEqualTo((short) 1024);
        assertThat(b.getInt(entry + 7)).as("record size").isEqualTo(11 + 1024);
        assertThat(b.getLong(entry + 11)).as("offset").isEqualTo(8);
        assertThat(Arrays.copyOfRange(hint, entry + 19, hint.length)).isEqualTo(key);
        assertThat(b.getInt(entry)).as("entry CRC32C").isEqualTo(crc32c(hint, entry + 4, hint.length - entry - 4));
    }

    static int crc32c(byte[] bytes, int offset, int length) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    @Test
    void theJavadocHexDumpIsTheGoldenFile() throws IOException {
        String javadoc = java.nio.file.Files.readString(Path.of("src/main/java/dev/kvbook/hashindex/HintFormat.java"));
        StringBuilder hex = new StringBuilder();
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("\\* 00[0-9A-F]{2}  ((?:[0-9A-F]{2} ?)+)").matcher(javadoc);
        while (line.find()) {
            hex.append(line.group(1).replace(" ", ""));
        }
        assertThat(HexFormat.of().parseHex(hex.toString().toLowerCase())).isEqualTo(golden());
    }

    @Tag("lab:step3.hint-decode")
    @Test
    void decodingTheGoldenFileGivesTheEntriesBack() throws IOException {
        List<HintFormat.Entry> decoded = HintFormat.decode(ByteBuffer.wrap(golden()), HINT, 1, 58);
        assertThat(decoded).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(decoded.get(i).type()).isEqualTo(EXAMPLE.get(i).type());
            assertThat(Arrays.equals(decoded.get(i).key(), EXAMPLE.get(i).key())).isTrue();
            assertThat(decoded.get(i).offset()).isEqualTo(EXAMPLE.get(i).offset());
            assertThat(decoded.get(i).recordSize()).isEqualTo(EXAMPLE.get(i).recordSize());
        }
    }

    @Tag("lab:step3.hint-decode")
    @Test
    void everyFlippedByteIsCaught() throws IOException {
        byte[] golden = golden();
        for (int i = 0; i < golden.length; i++) {
            byte[] damaged = golden.clone();
            damaged[i] ^= (byte) 0x80;
            assertThatThrownBy(() -> HintFormat.decode(ByteBuffer.wrap(damaged), HINT, 1, 58))
                    .as("flip byte %d", i).isInstanceOf(CorruptionException.class);
        }
    }

    @Tag("lab:step3.hint-decode")
    @Test
    void everyTruncationIsCaught() throws IOException {
        byte[] golden = golden();
        for (int length = 0; length < golden.length; length++) {
            byte[] cut = Arrays.copyOf(golden, length);
            assertThatThrownBy(() -> HintFormat.decode(ByteBuffer.wrap(cut), HINT, 1, 58))
                    .as("truncate to %d", length).isInstanceOf(CorruptionException.class);
        }
    }

    @Tag("lab:step3.hint-decode")
    @Test
    void aHintForAnotherSegmentNumberIsRejected() throws IOException {
        assertThatThrownBy(() -> HintFormat.decode(ByteBuffer.wrap(golden()), HINT, 2, 58))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("segment number");
    }

    @Tag("lab:step3.hint-decode")
    @Test
    void aSegmentOfAnotherSizeThanItsIntactHintSaysIsReportedAsDamageToTheSegment() throws IOException {
        assertThatThrownBy(() -> HintFormat.decode(ByteBuffer.wrap(golden()), HINT, 1, 44))
                .isInstanceOf(HintFormat.SizeMismatch.class).hasMessageContaining("sealed at 58 bytes");
    }
}
