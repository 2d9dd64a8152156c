package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;

/**
 * Segment files written for a test with step 2's {@link LogWriter} (reference code in every step-3
 * workspace): what open and a merge would find on disk, made without any of step 3's own code.
 */
final class SegmentFiles {

    private SegmentFiles() {
    }

    /**
     * Writes segment {@code id} in {@code dir}, durably: the file header, then one record per op,
     * {@code "key=value"} for a put and {@code "-key"} for a delete. Returns where each record went.
     */
    static List<LogWriter.Appended> write(Vfs vfs, Path dir, int id, String... ops) {
        List<LogWriter.Appended> records = new ArrayList<>();
        try (VfsFile file = vfs.open(SegmentFormat.dataPath(dir, id), true)) {
            file.write(0, LogFormat.encodeFileHeader());
            file.sync();
            LogWriter writer = new LogWriter(file, LogFormat.FILE_HEADER_SIZE);
            for (String op : ops) {
                records.add(op.startsWith("-")
                        ? writer.append(LogFormat.TYPE_TOMBSTONE, utf8(op.substring(1)), new byte[0])
                        : writer.append(LogFormat.TYPE_PUT, utf8(op.substring(0, op.indexOf('='))),
                                utf8(op.substring(op.indexOf('=') + 1))));
            }
            writer.sync();
        }
        vfs.syncDirectory(dir);
        return records;
    }

    /** Where the record {@code appended} of segment {@code id} is, as the keydir says it. */
    static Keydir.Location at(int id, LogWriter.Appended appended) {
        return new Keydir.Location(id, Math.toIntExact(appended.offset()), appended.size());
    }
}
