package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model of {@link CrashSimVfs#harshReordered}, as states seen over many seeds: any subset of
 * unrelated directory operations can survive, operations on one name stay in order, a rename is
 * atomic, and a directory sync still makes everything before it durable. Each test also says
 * which states must never appear, so a mode that keeps too much fails as surely as one that
 * keeps too little.
 */
@Tag("lab:step3.build-reorder-crash")
class ReorderedCrashSimVfsTest {

    private static final Path DIR = Path.of("/d");
    private static final int SEEDS = 200;

    /** The names in {@code DIR} and their contents after a reordered crash of {@code before}, for each seed. */
    private static Set<String> statesAfterReorderedCrashes(Consumer<CrashSimVfs> setUp, Consumer<CrashSimVfs> before) {
        Set<String> states = new TreeSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            CrashSimVfs vfs = new CrashSimVfs().harshReordered(seed);
            vfs.createDirectories(DIR);
            setUp.accept(vfs);
            before.accept(vfs);
            vfs.crash();
            states.add(describe(vfs.files()));
        }
        return states;
    }

    private static String describe(Map<Path, byte[]> files) {
        StringBuilder state = new StringBuilder();
        files.forEach((path, content) -> state.append(state.length() == 0 ? "" : " ")
                .append(path.getFileName()).append('=').append(new String(content)));
        return state.length() == 0 ? "(empty)" : state.toString();
    }

    /** Creates {@code name} with {@code text}, the bytes fsynced, the name not. */
    private static void createSynced(CrashSimVfs vfs, String name, String text) {
        try (VfsFile f = vfs.open(DIR.resolve(name), true)) {
            f.write(0, ByteBuffer.wrap(text.getBytes()));
            f.sync();
        }
    }

    @Test
    void anySubsetOfUnrelatedCreatesCanSurvive() {
        Set<String> states = statesAfterReorderedCrashes(vfs -> { }, vfs -> {
            createSynced(vfs, "a", "1");
            createSynced(vfs, "b", "2");
            createSynced(vfs, "c", "3");
        });
        // Harsh mode keeps a prefix (4 states); a reordering file system can keep any of the 8,
        // among them "c without a or b": a later create durable, the earlier ones lost.
        assertThat(states).containsExactlyInAnyOrder("(empty)", "a=1", "b=2", "c=3", "a=1 b=2", "a=1 c=3", "b=2 c=3",
                "a=1 b=2 c=3");
    }

    @Test
    void operationsOnOneNameStayInOrderAndARenameIsAtomic() {
        Set<String> states = statesAfterReorderedCrashes(vfs -> {
            vfs.putDurableFile(DIR.resolve("a"), "old".getBytes());
            vfs.putDurableFile(DIR.resolve("b"), "X".getBytes());
        }, vfs -> {
            vfs.rename(DIR.resolve("b"), DIR.resolve("a"));
            createSynced(vfs, "b", "Y");
        });
        // Never "a=old b=Y": the new b is a later state of the name b than the rename's, and
        // never "a=old" alone or "a=X b=X": a rename's source goes exactly when its target comes.
        assertThat(states).containsExactlyInAnyOrder("a=old b=X", "a=X", "a=X b=Y");
    }

    @Test
    void aCreateThenARenameOfTheSameFileNeverLeavesTheRenameWithoutItsSource() {
        Set<String> states = statesAfterReorderedCrashes(vfs -> vfs.putDurableFile(DIR.resolve("db"), "old".getBytes()), vfs -> {
            createSynced(vfs, "other", "o");
            createSynced(vfs, "tmp", "new");
            vfs.rename(DIR.resolve("tmp"), DIR.resolve("db"));
        });
        assertThat(states).containsExactlyInAnyOrder("db=old", "db=old tmp=new", "db=new",
                "db=old other=o", "db=old other=o tmp=new", "db=new other=o");
    }

    @Test
    void aDirectorySyncMakesEverythingBeforeItDurable() {
        Set<String> states = statesAfterReorderedCrashes(vfs -> { }, vfs -> {
            createSynced(vfs, "a", "1");
            vfs.delete(DIR.resolve("a"));
            createSynced(vfs, "b", "2");
            vfs.syncDirectory(DIR);
            createSynced(vfs, "c", "3");
            vfs.delete(DIR.resolve("b"));
        });
        // a never comes back and b stays unless its own later delete survives; after the sync,
        // the create of c and the delete of b are unrelated and survive in any combination.
        assertThat(states).containsExactlyInAnyOrder("b=2", "b=2 c=3", "c=3", "(empty)");
    }

    @Test
    void reorderedCrashesAreReproducibleFromTheSeed() {
        for (long seed = 0; seed < 20; seed++) {
            List<String> runs = new java.util.ArrayList<>();
            for (int run = 0; run < 2; run++) {
                CrashSimVfs vfs = new CrashSimVfs().harshReordered(seed);
                vfs.createDirectories(DIR);
                for (String name : List.of("a", "b", "c", "d", "e")) {
                    createSynced(vfs, name, name);
                }
                vfs.crash();
                runs.add(describe(vfs.files()));
            }
            assertThat(runs.get(1)).isEqualTo(runs.get(0));
        }
    }
}
