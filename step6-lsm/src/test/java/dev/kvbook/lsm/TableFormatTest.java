package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.testkit.GoldenFiles;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kvbook.api.Keys.utf8;
import static dev.kvbook.lsm.Tables.put;
import static dev.kvbook.lsm.Tables.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sorted-table format pinned down: golden file, Javadoc example, every byte checked, frozen codes. */
class TableFormatTest {

    static final String GOLDEN = "three-cells.sst";
    static final List<Cell> CELLS = List.of(put("cat", "meow"), tombstone("dog"), put("eel", "zap"));

    /** The worked example: three cells, 16-byte blocks, 10 bits per key. */
    static byte[] example(CrashSimVfs vfs) {
        Tables.write(vfs, 5, 16, CELLS);
        return Tables.bytes(vfs, 5);
    }

    @Test
    @Tag("lab:step6.table-writer")
    void theWriterWritesTheGoldenFileByteForByte() {
        GoldenFiles.assertMatches(GOLDEN, example(new CrashSimVfs()));
    }

    @Test
    void theJavadocWorkedExampleIsTheGoldenFile() throws Exception {
        assertThat(javadocDumps("TableFormat.java")).containsExactly(GoldenFiles.read(GOLDEN));
    }

    @Test
    void theGoldenFileHasTheLayoutTheJavadocDescribes() {
        byte[] golden = GoldenFiles.read(GOLDEN);
        assertThat(golden).hasSize(164);
        TableFormat.Footer footer = TableFormat.Footer.decode(java.nio.ByteBuffer.wrap(golden, 164 - 44, 44).slice(),
                Path.of(GOLDEN), 164);
        assertThat(footer).isEqualTo(new TableFormat.Footer(61, 17, 78, 42, 3));
    }

    @Test
    void theGoldenTableReadsBackAsItsCells() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.putDurableFile(StoreFiles.table(Tables.DIR, 5), GoldenFiles.read(GOLDEN));
        Table table = Tables.open(vfs, new TableInfo(5, 164, utf8("cat"), utf8("eel")));
        assertThat(table.get(utf8("cat")).value()).isEqualTo(utf8("meow"));
        assertThat(table.get(utf8("dog")).isTombstone()).isTrue();
        assertThat(table.get(utf8("cow"))).isNull();
        assertThat(table.get(utf8("zebra"))).isNull();
        List<String> seen = new ArrayList<>();
        table.cells(null, null).forEachRemaining(c -> seen.add(c.toString()));
        assertThat(seen).containsExactly("\"cat\" = \"meow\"", "\"dog\" TOMBSTONE", "\"eel\" = \"zap\"");
        assertThat(table.blockCount()).as("cat and dog, then eel").isEqualTo(2);
        table.release();
    }

    @Test
    void everyFlippedByteOfATableIsReportedAsCorruption() {
        byte[] golden = GoldenFiles.read(GOLDEN);
        for (int i = 0; i < golden.length; i++) {
            byte[] damaged = golden.clone();
            damaged[i] ^= (byte) 0x80;
            int at = i;
            assertThatThrownBy(() -> readWhole(damaged)).as("byte %d flipped", at).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void aTableOfAnotherSizeThanTheManifestRecordedIsCorruption() {
        byte[] golden = GoldenFiles.read(GOLDEN);
        assertThatThrownBy(() -> readWhole(java.util.Arrays.copyOf(golden, 163))).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("164 bytes, as the manifest recorded");
    }

    @Test
    void aLongEntryGetsABlockOfItsOwnAndBlocksLieEndToEnd() {
        CrashSimVfs vfs = new CrashSimVfs();
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cells.add(put(String.format("k%04d", i), "v".repeat(i % 3 == 0 ? 5000 : 10)));
        }
        TableInfo info = Tables.write(vfs, 9, 4096, cells);
        Table table = Tables.open(vfs, info);
        List<Cell> back = new ArrayList<>();
        table.cells(null, null).forEachRemaining(back::add);
        assertThat(back).hasSize(200);
        assertThat(table.get(utf8("k0151")).value()).hasSize(10);
        assertThat(table.blockCount()).isGreaterThan(60);
        table.release();
    }

    @Test
    void typeCodesMagicAndSizesAreFrozen() {
        assertThat(TableFormat.TYPE_PUT).isEqualTo((byte) 1);
        assertThat(TableFormat.TYPE_TOMBSTONE).isEqualTo((byte) 2);
        assertThat(TableFormat.MAGIC).isEqualTo(0x4B565354);
        assertThat(TableFormat.FOOTER_SIZE).isEqualTo(44);
        assertThat(TableFormat.ENTRY_HEADER_SIZE).isEqualTo(7);
    }

    /** Opens the bytes as table 5 (size as given) and reads every block. */
    private static void readWhole(byte[] bytes) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.putDurableFile(StoreFiles.table(Tables.DIR, 5), bytes);
        Table table = Tables.open(vfs, new TableInfo(5, 164, utf8("cat"), utf8("eel")));
        try {
            for (int b = 0; b < table.blockCount(); b++) {
                table.readBlock(b);
            }
        } finally {
            table.release();
        }
    }

    /** The hex dumps in a format's Javadoc ({@code  * 0000  4B 56 ...}), each from offset 0 on. */
    static List<byte[]> javadocDumps(String source) throws Exception {
        String text = Files.readString(Path.of("src/main/java/dev/kvbook/lsm/" + source));
        Matcher line = Pattern.compile("(?m)^ \\* ([0-9A-F]{4})  ((?:[0-9A-F]{2} )*[0-9A-F]{2})$").matcher(text);
        List<byte[]> dumps = new ArrayList<>();
        ByteArrayOutputStream dump = null;
        while (line.find()) {
            int offset = Integer.parseInt(line.group(1), 16);
            if (offset == 0) {
                if (dump != null) {
                    dumps.add(dump.toByteArray());
                }
                dump = new ByteArrayOutputStream();
            }
            assertThat(dump).as("a dump starts at 0000").isNotNull();
            assertThat(offset).as("dump line offset").isEqualTo(dump.size());
            dump.writeBytes(HexFormat.ofDelimiter(" ").parseHex(line.group(2)));
        }
        if (dump != null) {
            dumps.add(dump.toByteArray());
        }
        return dumps;
    }
}
