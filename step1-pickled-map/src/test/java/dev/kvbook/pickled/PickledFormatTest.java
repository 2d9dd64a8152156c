package dev.kvbook.pickled;

import dev.kvbook.testkit.GoldenFiles;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step-1 file format: pinned by a golden file, and every kind of damage reported as
 * {@link CorruptionException}. (Hostile payloads have their own test, {@link HostilePayloadTest}.)
 *
 * <p>Each lab's tests call its own method on bytes made without the other labs: the
 * {@code step1.frame} tests read the header {@link PickledFormat#frame} wrote field by field, the
 * {@code step1.integrity} tests hand {@link PickledFormat#integrityProblems} the golden file and damaged
 * copies of it. The round trips through {@code encode} and {@code decode} need every lab of the
 * format (and {@code step1.deserialize}), so they carry no lab's tag.
 */
class PickledFormatTest {

    static final String GOLDEN = "golden-v1.pickle";
    static final Path FILE = Path.of("test.pickle");

    /** The golden store: "a" -> "1", "b" -> "" (an empty value). */
    static NavigableMap<byte[], byte[]> goldenMap() {
        NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
        map.put(Keys.utf8("a"), Keys.utf8("1"));
        map.put(Keys.utf8("b"), new byte[0]);
        return map;
    }

    static byte[] goldenBytes() {
        return GoldenFiles.read(GOLDEN);
    }

    @Tag("lab:step1.frame")
    @Test
    void goldenFileIsPinnedByteForByte() throws IOException {
        GoldenFiles.assertMatches(GOLDEN, PickledFormat.encode(goldenMap()));
    }

    @Test
    void goldenFileDecodesToItsMap() throws IOException {
        NavigableMap<byte[], byte[]> decoded = PickledFormat.decode(FILE, goldenBytes());
        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(Keys.utf8("a"))).isEqualTo(Keys.utf8("1"));
        assertThat(decoded.get(Keys.utf8("b"))).isEmpty();
    }

    @Tag("lab:step1.frame")
    @Test
    void frameWritesEachHeaderFieldAtItsOffsetThenThePayloadUnchanged() {
        byte[] payload = Keys.utf8("any bytes at all: frame does not look inside");
        byte[] file = PickledFormat.frame(payload);
        assertThat(file).hasSize(PickledFormat.HEADER_SIZE + payload.length);
        ByteBuffer header = ByteBuffer.wrap(file);
        assertThat(header.getInt(PickledFormat.MAGIC_OFFSET)).as("magic").isEqualTo(0x4B565031);
        assertThat(header.getShort(PickledFormat.VERSION_OFFSET)).as("version").isEqualTo((short) 1);
        assertThat(header.getShort(PickledFormat.FLAGS_OFFSET)).as("flags").isZero();
        assertThat(header.getLong(PickledFormat.LENGTH_OFFSET)).as("payload length").isEqualTo(payload.length);
        assertThat(header.getInt(PickledFormat.PAYLOAD_CRC_OFFSET)).as("payload CRC32C")
                .isEqualTo(crc32c(payload, 0, payload.length));
        assertThat(header.getInt(PickledFormat.HEADER_CRC_OFFSET)).as("header CRC32C of bytes 0..19")
                .isEqualTo(crc32c(file, 0, PickledFormat.HEADER_CRC_OFFSET));
        assertThat(Arrays.copyOfRange(file, PickledFormat.PAYLOAD_OFFSET, file.length)).isEqualTo(payload);
    }

    @Tag("lab:step1.frame")
    @Test
    void frameOfAnEmptyPayloadIsTheHeaderAloneWithTheChecksumOfNothing() {
        byte[] file = PickledFormat.frame(new byte[0]);
        assertThat(file).hasSize(PickledFormat.HEADER_SIZE);
        PickledFormat.Header header = PickledFormat.Header.read(file);
        assertThat(header.payloadLength()).isZero();
        assertThat(header.payloadCrc()).as("CRC32C of no bytes").isZero();
        assertThat(header.headerCrc()).isEqualTo(crc32c(file, 0, PickledFormat.HEADER_CRC_OFFSET));
    }

    /** The golden file's header, rebuilt from its own payload: the worked example of the Javadoc. */
    @Tag("lab:step1.frame")
    @Test
    void framingTheGoldenPayloadGivesTheGoldenFile() {
        byte[] golden = goldenBytes();
        byte[] payload = Arrays.copyOfRange(golden, PickledFormat.PAYLOAD_OFFSET, golden.length);
        assertThat(PickledFormat.frame(payload)).isEqualTo(golden);
    }

    /** CRC32C, computed here without the code under test. */
    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** The problems integrityProblems finds in {@code file}; there must be at least one, and the first is what decode throws. */
    static CorruptionException firstProblem(byte[] file) {
        List<CorruptionException> problems = PickledFormat.integrityProblems(FILE, file);
        assertThat(problems).as("integrity problems").isNotEmpty();
        return problems.get(0);
    }

    @Tag("lab:step1.integrity")
    @Test
    void theGoldenFileHasNoIntegrityProblems() {
        assertThat(PickledFormat.integrityProblems(FILE, goldenBytes())).isEmpty();
    }

    /** The hex listing in PickledFormat's Javadoc is parsed and compared with the golden file. */
    @Test
    void workedExampleInTheJavadocIsTheGoldenFile() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/kvbook/pickled/PickledFormat.java"));
        int example = source.indexOf("<h2>Worked example</h2>");
        String listing = source.substring(source.indexOf("<pre>", example), source.indexOf("</pre>", example));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Matcher row = Pattern.compile("(?m)^ \\*\\s+(\\d+)  (.+?)(?:\\s{2,}.*)?$").matcher(listing);
        int rows = 0;
        while (row.find()) {
            assertThat(Integer.parseInt(row.group(1))).as("offset of row " + row.group()).isEqualTo(bytes.size());
            for (String token : row.group(2).split(" ")) {
                bytes.writeBytes(token.startsWith("\"")
                        ? token.substring(1, token.length() - 1).getBytes(StandardCharsets.US_ASCII)
                        : HexFormat.of().parseHex(token));
            }
            rows++;
        }
        assertThat(rows).isGreaterThan(20);
        assertThat(bytes.toByteArray()).isEqualTo(goldenBytes());
    }

    @Test
    void headerSizeIsTheSumOfItsFieldsAndThePayloadFollowsIt() {
        assertThat(PickledFormat.HEADER_SIZE).isEqualTo(24);
        assertThat(PickledFormat.HEADER_CRC_OFFSET + 4).isEqualTo(PickledFormat.PAYLOAD_OFFSET);
    }

    @Test
    void anEmptyMapRoundTrips() {
        byte[] file = PickledFormat.encode(new TreeMap<>(Keys.COMPARATOR));
        assertThat(PickledFormat.decode(FILE, file)).isEmpty();
    }

    @Test
    void boundaryKeysAndValuesRoundTripInUnsignedOrder() {
        NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
        map.put(new byte[0], new byte[0]);
        map.put(new byte[] {0x7f}, new byte[] {1});
        map.put(new byte[] {(byte) 0x80}, new byte[] {2});
        map.put(new byte[Limits.MAX_KEY_SIZE], new byte[1000]);
        NavigableMap<byte[], byte[]> decoded = PickledFormat.decode(FILE, PickledFormat.encode(map));
        assertThat(decoded.keySet()).containsExactlyElementsOf(map.keySet());
        assertThat(decoded.lastKey()).isEqualTo(new byte[] {(byte) 0x80});
    }

    /** Every byte is under a checksum (invariant 2), so no single flipped byte goes unnoticed. */
    @Tag("lab:step1.integrity")
    @Test
    void everyFlippedByteIsReportedAsCorruption() {
        byte[] golden = goldenBytes();
        for (int i = 0; i < golden.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] damaged = golden.clone();
                damaged[i] ^= (byte) mask;
                assertThat(PickledFormat.integrityProblems(FILE, damaged)).as("byte %d xor 0x%02x", i, mask).isNotEmpty();
            }
        }
    }

    @Tag("lab:step1.integrity")
    @Test
    void everyTruncationIsReportedAsCorruption() {
        byte[] golden = goldenBytes();
        for (int length = 0; length < golden.length; length++) {
            byte[] cut = Arrays.copyOf(golden, length);
            assertThat(firstProblem(cut)).as("cut to %d bytes", length).hasMessageContaining(FILE.toString());
        }
    }

    @Tag("lab:step1.integrity")
    @Test
    void wrongMagicNamesTheFileOffsetAndExpectedVersusActual() {
        byte[] file = goldenBytes();
        file[0] = 'X';
        CorruptionException problem = firstProblem(file);
        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.offset()).isEqualTo(PickledFormat.MAGIC_OFFSET);
        assertThat(problem).hasMessageContaining("magic: expected 0x4b565031 but found 0x58565031");
    }

    @Tag("lab:step1.integrity")
    @Test
    void aFutureVersionIsRefusedBeforeItsHeaderIsTrusted() {
        byte[] file = goldenBytes();
        ByteBuffer.wrap(file).putShort(PickledFormat.VERSION_OFFSET, (short) 2);
        assertThat(firstProblem(file)).hasMessageContaining("format version: expected 1 but found 2");
    }

    /** A huge length field with a valid header CRC: reported against the real size, nothing allocated. */
    @Tag("lab:step1.integrity")
    @Test
    void aLengthBeyondTheFileIsCorruptionNotAnAllocation() {
        byte[] file = goldenBytes();
        ByteBuffer header = ByteBuffer.wrap(file);
        header.putLong(PickledFormat.LENGTH_OFFSET, Long.MAX_VALUE);
        header.putInt(PickledFormat.HEADER_CRC_OFFSET, crc32c(file, 0, PickledFormat.HEADER_CRC_OFFSET));
        CorruptionException problem = firstProblem(file);
        assertThat(problem.offset()).isEqualTo(PickledFormat.LENGTH_OFFSET);
        assertThat(problem).hasMessageContaining("expected 165 but found " + Long.MAX_VALUE);
    }

    @Tag("lab:step1.integrity")
    @Test
    void integrityProblemsListsEveryDamagedFieldNotOnlyTheFirst() {
        byte[] file = goldenBytes();
        file[0] = 'X';                                   // magic, and so the header CRC
        file[PickledFormat.PAYLOAD_OFFSET + 40] ^= 0x01; // the payload CRC
        List<CorruptionException> problems = PickledFormat.integrityProblems(FILE, file);
        assertThat(problems).extracting(CorruptionException::offset).containsExactly(
                (long) PickledFormat.MAGIC_OFFSET, (long) PickledFormat.HEADER_CRC_OFFSET,
                (long) PickledFormat.PAYLOAD_OFFSET);
    }

    @Test
    void hasMagicRecognizesOnlyKvp1() {
        assertThat(PickledFormat.hasMagic(Keys.utf8("KVP1"))).isTrue();
        assertThat(PickledFormat.hasMagic(Keys.utf8("KVP2"))).isFalse();
        assertThat(PickledFormat.hasMagic(Keys.utf8("KV"))).isFalse();
    }
}
