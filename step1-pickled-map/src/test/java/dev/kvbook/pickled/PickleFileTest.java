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
 * promise of an atomic replace, checked by pulling the power at every one of its I/O calls on
 * {@link CrashSimVfs}. These claims hold for any correct design, so they judge the build lab
 * {@code step1.build-replace} too; the reference's own sequence of calls is pinned by
 * {@link PickleFileSequenceTest}.
 */
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
    @Tag("lab:step1.replace")
    @Tag("lab:step1.build-replace")
    void replaceLeavesTheNewImageAtThePathAndNoTempFile() {
        CrashSimVfs vfs = diskWith(OLD);
        PickleFile file = new PickleFile(vfs, FILE);
        file.replace(NEW);
        assertThat(vfs.files()).containsOnlyKeys(FILE);
        assertThat(vfs.files().get(FILE)).isEqualTo(NEW);
    }

    @Test
    @Tag("lab:step1.replace")
    @Tag("lab:step1.build-replace")
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
    @Tag("lab:step1.replace")
    @Tag("lab:step1.build-replace")
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
}
