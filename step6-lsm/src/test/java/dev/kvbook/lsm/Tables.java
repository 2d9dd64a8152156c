package dev.kvbook.lsm;

import dev.kvbook.testkit.vfs.CrashSimVfs;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;

/** Test helpers: tables written into a {@link CrashSimVfs}, and cells made from strings. */
final class Tables {

    static final Path DIR = Path.of("/t");

    private Tables() {
    }

    static Cell put(String key, String value) {
        return new Cell(utf8(key), utf8(value));
    }

    static Cell tombstone(String key) {
        return Cell.tombstone(utf8(key));
    }

    /** Writes table {@code number} holding {@code cells} (sorted) and returns what the manifest would record. */
    static TableInfo write(CrashSimVfs vfs, long number, int blockBytes, List<Cell> cells) {
        vfs.createDirectories(DIR);
        Path path = StoreFiles.table(DIR, number);
        TableWriter writer = new TableWriter(vfs.open(path, true), path, number, blockBytes, 10);
        cells.forEach(writer::add);
        return writer.finish();
    }

    /** Opens table {@code info} in {@code vfs}. */
    static Table open(CrashSimVfs vfs, TableInfo info) {
        Path path = StoreFiles.table(DIR, info.number());
        return Table.open(vfs, vfs.open(path, false), path, info);
    }

    /** The file's bytes. */
    static byte[] bytes(CrashSimVfs vfs, long number) {
        return vfs.files().get(StoreFiles.table(DIR, number));
    }
}
