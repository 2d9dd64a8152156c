package dev.kvbook.testkit;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The checker and inspector of the toy store in one file ({@link ToyFileStore#atFile}), as a
 * step's provider has them: verify reads the file opened read-only under the readers' lock
 * ({@link Vfs#lockShared}) on {@code <file>.lock}, inspect reads it opened read-only. With the
 * flaw {@code writersLock}, verify takes the writer's lock instead, as kvbook's checkers did
 * before issue 18: the readers' cases of {@link LocksAndPathsContract} must catch that.
 */
final class ToyChecker {

    private ToyChecker() {
    }

    static VerifyReport verify(Vfs vfs, Path path, boolean writersLock) {
        Path file = vfs.realPath(path);
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!vfs.exists(file)) {
            problems.add(file + ": no such file");
            return new VerifyReport("toy", file, checked, problems);
        }
        Path lockFile = StorePaths.sibling(file, ".lock");
        Closeable lock = writersLock ? vfs.lock(lockFile) : vfs.lockShared(lockFile);
        try {
            byte[] bytes = read(vfs, file);
            checked.add("read " + bytes.length + " bytes under the lock " + lockFile);
            if (bytes.length < 8) {
                problems.add(file + ": " + bytes.length + " bytes, shorter than the 8-byte header");
            } else if (ByteBuffer.wrap(bytes).getInt(0) != crc(bytes)) {
                problems.add(file + ": checksum mismatch");
            } else {
                checked.add("checksum of " + (bytes.length - 4) + " bytes");
            }
        } finally {
            try {
                lock.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new VerifyReport("toy", file, checked, problems);
    }

    static Inspection inspect(Vfs vfs, Path path) {
        Path file = vfs.realPath(path);
        byte[] bytes = read(vfs, file);
        int entries = bytes.length < 8 ? 0 : ByteBuffer.wrap(bytes).getInt(4);
        return new Inspection("toy", file, "toy store " + file + ": " + bytes.length + " bytes, " + entries + " entries\n",
                "flowchart LR\n  toy[\"" + entries + " entries\"]\n");
    }

    private static byte[] read(Vfs vfs, Path file) {
        try (VfsFile f = vfs.openReadOnly(file)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) f.size());
            f.readFully(0, bytes);
            return bytes.array();
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 4, bytes.length - 4);
        return (int) crc.getValue();
    }
}
