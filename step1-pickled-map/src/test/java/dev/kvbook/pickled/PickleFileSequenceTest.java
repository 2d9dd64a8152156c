package dev.kvbook.pickled;

import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kvbook.pickled.PickleFileTest.DIR;
import static dev.kvbook.pickled.PickleFileTest.FILE;
import static dev.kvbook.pickled.PickleFileTest.NEW;
import static dev.kvbook.pickled.PickleFileTest.OLD;
import static dev.kvbook.pickled.PickleFileTest.diskWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference's four steps of {@link PickleFile#replace}, call by call: write the temp file, sync
 * it, rename it, sync the directory last. This pins one design (the build lab
 * {@code step1.build-replace} lets a learner choose another, such as a fresh temp name per replace),
 * so the build tier leaves it out; {@link PickleFileTest} holds the promise any design must keep.
 */
@Tag("lab:step1.replace")
@Tag("design:step1.build-replace")
class PickleFileSequenceTest {

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
