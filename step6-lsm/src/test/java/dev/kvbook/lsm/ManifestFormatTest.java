package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.testkit.GoldenFiles;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manifest and CURRENT pinned down: golden files, the Javadoc example, replay, damage. */
class ManifestFormatTest {

    static final TableInfo TABLE_5 = new TableInfo(5, 164, utf8("cat"), utf8("eel"));
    static final VersionEdit SNAPSHOT = new VersionEdit(4, 6, List.of(), List.of(new VersionEdit.Added(0, TABLE_5)));

    static CrashSimVfs example() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(Tables.DIR);
        Manifest.start(vfs, Tables.DIR, 3, SNAPSHOT).close();
        return vfs;
    }

    @Test
    void startingAManifestWritesTheGoldenFilesByteForByte() {
        CrashSimVfs vfs = example();
        GoldenFiles.assertMatches("CURRENT", vfs.files().get(Tables.DIR.resolve("CURRENT")));
        GoldenFiles.assertMatches("MANIFEST-000003", vfs.files().get(Tables.DIR.resolve("MANIFEST-000003")));
    }

    @Test
    void theJavadocWorkedExampleIsTheGoldenFiles() throws Exception {
        assertThat(TableFormatTest.javadocDumps("ManifestFormat.java"))
                .containsExactly(GoldenFiles.read("CURRENT"), GoldenFiles.read("MANIFEST-000003"));
    }

    @Test
    void theGoldenManifestReplaysToItsSnapshot() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.putDurableFile(Tables.DIR.resolve("CURRENT"), GoldenFiles.read("CURRENT"));
        vfs.putDurableFile(Tables.DIR.resolve("MANIFEST-000003"), GoldenFiles.read("MANIFEST-000003"));
        assertThat(Manifest.readCurrent(vfs, Tables.DIR)).isEqualTo(3);
        Manifest.Replayed replayed = Manifest.replay(vfs, Tables.DIR, 3);
        assertThat(replayed.logNumber()).isEqualTo(4);
        assertThat(replayed.nextFileNumber()).isEqualTo(6);
        assertThat(replayed.levels().get(0)).containsOnlyKeys(5L);
        assertThat(replayed.tornTail()).isNull();
    }

    @Test
    void editsRoundTripAndApplyInOrder() {
        CrashSimVfs vfs = example();
        try (Manifest manifest = reopen(vfs)) {
            TableInfo seven = new TableInfo(7, 300, utf8("a"), utf8("z"));
            manifest.append(new VersionEdit(4, 8, List.of(new VersionEdit.Removed(0, 5)),
                    List.of(new VersionEdit.Added(1, seven))));
        }
        Manifest.Replayed replayed = Manifest.replay(vfs, Tables.DIR, 3);
        assertThat(replayed.levels().get(0)).isEmpty();
        assertThat(replayed.levels().get(1)).containsOnlyKeys(7L);
        assertThat(replayed.edits()).isEqualTo(2);
        assertThat(replayed.nextFileNumber()).isEqualTo(8);
    }

    @Test
    void anEditThatRemovesATableThatIsNotThereIsCorruption() {
        CrashSimVfs vfs = example();
        try (Manifest manifest = reopen(vfs)) {
            manifest.append(new VersionEdit(4, 8, List.of(new VersionEdit.Removed(2, 5)), List.of()));
        }
        assertThatThrownBy(() -> Manifest.replay(vfs, Tables.DIR, 3)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("table 5 at level 2");
    }

    @Test
    void everyFlippedByteOfCurrentIsCorruption() {
        byte[] golden = GoldenFiles.read("CURRENT");
        for (int i = 0; i < golden.length; i++) {
            byte[] damaged = golden.clone();
            damaged[i] ^= 1;
            assertThatThrownBy(() -> ManifestFormat.decodeCurrent(damaged, Path.of("CURRENT")))
                    .isInstanceOf(CorruptionException.class);
        }
        assertThatThrownBy(() -> ManifestFormat.decodeCurrent(new byte[0], Path.of("CURRENT")))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("never torn");
    }

    @Test
    void aDamagedEditIsCorruptionNotAnotherException() {
        byte[] edit = ManifestFormat.encodeEdit(SNAPSHOT);
        for (int length = 0; length < edit.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(edit, length);
            assertThatThrownBy(() -> ManifestFormat.decodeEdit(cut, Path.of("M"), 8)).isInstanceOf(CorruptionException.class);
        }
        byte[] badLevel = edit.clone();
        badLevel[ManifestFormat.EDIT_FIXED] = 7;
        assertThatThrownBy(() -> ManifestFormat.decodeEdit(badLevel, Path.of("M"), 8))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("level");
    }

    @Test
    void sizesAndMagicAreFrozen() {
        assertThat(ManifestFormat.CURRENT_MAGIC).isEqualTo(0x4B564355);
        assertThat(ManifestFormat.CURRENT_SIZE).isEqualTo(20);
        assertThat(ManifestFormat.EDIT_FIXED).isEqualTo(20);
        assertThat(ManifestFormat.ADDED_FIXED).isEqualTo(21);
        assertThat(ManifestFormat.MAX_LEVELS).isEqualTo(7);
    }

    /** Manifest 3 opened for appending, as the store does right after starting it. */
    private static Manifest reopen(CrashSimVfs vfs) {
        Manifest.start(vfs, Tables.DIR, 3, SNAPSHOT).close(); // the same bytes again
        return Manifest.start(vfs, Tables.DIR, 3, SNAPSHOT);
    }
}
