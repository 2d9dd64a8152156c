package dev.kvbook.pickled;

import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PickleFile#replace} on its own, with plain bytes for images (no format, no store): the
 * four steps of an atomic replace in their order, and the promise they make, checked by pulling
 * the power at every one of its I/O calls on {@link CrashSimVfs}.
 */
@Tag("lab:step1.replace")
class PickleFileTest {

    static final Path DIR = Path.of("/store");
    static final Path FILE = DIR.resolve("map.pickle");
    static final byte[] OLD = utf8("the old image");
    static final byte[] NEW = utf8("the new image, longer than the old one");

    /** A file system holding {@link #OLD} at {@link #FILE}, durably, or nothing when {@code old} is null. */
    static CrashSimVfs diskWith(byte[] old) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(DIR);
        if (old != null) {
            vfs.putDurableFile(FILE, old);
        }
        return vfs;
    }

    @Test
    void replaceLeavesTheNewImageAtThePathAndNoTempFile() {
        CrashSimVfs vfs = diskWith(OLD);
        PickleFile file = new PickleFile(vfs, FILE);
        file.replace(NEW);
        assertThat(vfs.files()).containsOnlyKeys(FILE);
        assertThat(vfs.files().get(FILE)).isEqualTo(NEW);
    }

    @Test
    void replaceWritesAndSyncsATempFileRenamesItOverThePathThenSyncsTheDirectory() {
        CrashSimVfs vfs = diskWith(OLD);
        PickleFile file = new PickleFile(vfs, FILE);
        vfs.resetCounters();
        file.replace(NEW);
        List<String> calls = vfs.mutationLog();
        String temp = file.tempPath().getFileName().toString();
        int lastWrite = lastIndexStartingWith(calls, "write " + temp + " ");
        int sync = calls.lastIndexOf("sync " + temp);
        int rename = calls.indexOf("rename " + temp + " -> " + FILE.getFileName());
        int syncDirectory = calls.indexOf("syncDirectory " + DIR);
        assertThat(lastWrite).as("the image is written to %s: %s", temp, calls).isNotNegative();
        assertThat(sync).as("then the temp file is synced: %s", calls).isGreaterThan(lastWrite);
        assertThat(rename).as("then renamed over the file: %s", calls).isGreaterThan(sync);
        assertThat(syncDirectory).as("then the directory is synced, last: %s", calls)
                .isGreaterThan(rename).isEqualTo(calls.size() - 1);
        assertThat(calls).as("the live file is never written in place")
                .noneMatch(call -> call.startsWith("write " + FILE.getFileName() + " ")
                        || call.startsWith("truncate " + FILE.getFileName() + " "));
    }

    static int lastIndexStartingWith(List<String> calls, String prefix) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aReplaceThatReturnedSurvivesAPowerLoss() {
        for (byte[] old : new byte[][] {OLD, null}) {
            CrashSimVfs vfs = diskWith(old);
            new PickleFile(vfs, FILE).replace(NEW);
            vfs.crash();
            assertThat(vfs.files().get(FILE)).as("after a crash, with %s before", old == null ? "no file" : "a file")
                    .isEqualTo(NEW);
        }
    }

    /** The promise of the four steps: a crash at any I/O call leaves exactly the old image or the new one. */
    @Test
    void aCrashAtEveryIoCallOfAReplaceLeavesTheOldImageOrTheNew() {
        for (long seed = 0; seed <= 3; seed++) { // seed 0: gentle crashes; 1 to 3: unsynced sectors torn at random
            List<String> outcomes = new ArrayList<>();
            for (int point = 1; ; point++) {
                CrashSimVfs vfs = diskWith(OLD);
                if (seed > 0) {
                    vfs.harsh(seed * 1000 + point);
                }
                vfs.crashAtOperation(point);
                try {
                    new PickleFile(vfs, FILE).replace(NEW);
                    break; // the replace needed fewer calls than `point`: every call has been a crash point
                } catch (SimulatedCrash expected) {
                    vfs.crash();
                }
                byte[] after = vfs.files().get(FILE);
                assertThat(after).as("the file after a crash at call %d (seed %d)", point, seed).isIn(OLD, NEW);
                outcomes.add(new String(after));
            }
            assertThat(outcomes).as("crash points of a replace (seed %d)", seed).hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aCrashAtTheDirectorySyncMayLoseTheRenameButNeverTheOldImage() {
        CrashSimVfs dryRun = diskWith(OLD);
        dryRun.resetCounters();
        new PickleFile(dryRun, FILE).replace(NEW);
        int syncDirectory = dryRun.mutationLog().indexOf("syncDirectory " + DIR);
        assertThat(syncDirectory).as("a replace syncs the directory: %s", dryRun.mutationLog()).isNotNegative();

        CrashSimVfs vfs = diskWith(OLD);
        vfs.crashAtOperation(syncDirectory + 1);
        try {
            new PickleFile(vfs, FILE).replace(NEW);
        } catch (SimulatedCrash expected) {
            vfs.crash();
        }
        assertThat(vfs.files().get(FILE)).as("the rename was never made durable").isEqualTo(OLD);
    }
}
