package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Invariant 4 of a hint file, whatever its format: a damaged hint can cost a scan of its segment,
 * never data. Every byte of every hint file of a small store is flipped in turn, the file cut at
 * every length, and one segment's hint put in another's place; after each, the store must open
 * with exactly the keys and values it had, or refuse with a {@link CorruptionException}. Wrong
 * data, a lost key, a resurrected key or another exception fails the test. The hint files are
 * read as opaque bytes, so this judges any hint format by behaviour alone.
 */
@Tag("lab:step3.build-hints-merge")
class HintFileDamageTest {

    static final Path DIR = Path.of("/h/db");

    /** The store's files after a workload of overwrites and deletes across several sealed segments, and its model. */
    final Map<Path, byte[]> pristine;
    final Map<String, String> model = new TreeMap<>();

    HintFileDamageTest() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(DIR.getParent());
        try (HashIndexStore store = open(vfs)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 12; i++) {
                    String key = "key" + (i * 7 % 12);
                    if ((i + round) % 5 == 0) {
                        store.delete(utf8(key));
                        model.remove(key);
                    } else {
                        String value = "v" + round + "-" + i + "-" + "x".repeat(i * 3);
                        store.put(utf8(key), utf8(value));
                        model.put(key, value);
                    }
                }
            }
        }
        pristine = vfs.files();
    }

    static HashIndexStore open(CrashSimVfs vfs) {
        return HashIndexStore.open(DIR, HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(256));
    }

    List<Path> hints() {
        List<Path> hints = new ArrayList<>();
        pristine.keySet().forEach(p -> SegmentFormat.hintId(p).ifPresent(id -> hints.add(p)));
        return hints;
    }

    /** Opens the pristine files with {@code hint} changed by {@code damage}; returns whether open refused. */
    boolean reopensRightOrRefuses(Path hint, UnaryOperator<byte[]> damage, String what) {
        CrashSimVfs vfs = new CrashSimVfs();
        pristine.forEach((path, bytes) -> vfs.putDurableFile(path, path.equals(hint) ? damage.apply(bytes.clone()) : bytes));
        HashIndexStore store;
        try {
            store = open(vfs);
        } catch (CorruptionException refused) {
            return true; // detected and reported: allowed, though a scan would have cost less
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": open threw " + e + ", not a CorruptionException", e);
        }
        try (store) {
            checkAgainstTheModel(store, what);
        } catch (CorruptionException afterOpen) {
            // Open trusted the damaged hint: a key now points at the wrong record, which reading finds.
            throw new AssertionError(what + ": open trusted the damaged hint, and reading the store then failed: " + afterOpen,
                    afterOpen);
        }
        return false;
    }

    /** Every key and value the store reads back, by iterating and by get, is the model's. */
    void checkAgainstTheModel(HashIndexStore store, String what) {
        Map<String, String> found = new TreeMap<>();
        History.readAll(store).forEach((k, v) -> found.put(new String(k, StandardCharsets.UTF_8),
                new String(v, StandardCharsets.UTF_8)));
        if (!found.equals(model)) {
            fail("%s: the store opened with other data than it had%n expected %s%n but found %s", what, model, found);
        }
        for (Map.Entry<String, String> e : model.entrySet()) {
            assertThat(store.get(utf8(e.getKey()))).as("%s: get %s", what, e.getKey()).isEqualTo(utf8(e.getValue()));
        }
    }

    @Test
    void theWorkloadSealsSeveralSegmentsEachWithAHint() {
        assertThat(hints()).as("hint files").hasSizeGreaterThanOrEqualTo(3);
        assertThat(model).as("live keys").hasSizeBetween(5, 11);
    }

    @Test
    void everyFlippedByteOfEveryHintFileCostsAScanOrARefusalNeverData() {
        for (Path hint : hints()) {
            int length = pristine.get(hint).length;
            for (int at = 0; at < length; at++) {
                int i = at;
                reopensRightOrRefuses(hint, b -> {
                    b[i] ^= 0x20;
                    return b;
                }, hint.getFileName() + " with byte " + at + " flipped");
            }
        }
    }

    @Test
    void everyTruncationOfEveryHintFileCostsAScanOrARefusalNeverData() {
        for (Path hint : hints()) {
            int length = pristine.get(hint).length;
            for (int keep = 0; keep < length; keep++) {
                int k = keep;
                reopensRightOrRefuses(hint, b -> Arrays.copyOf(b, k), hint.getFileName() + " cut to " + keep + " bytes");
            }
        }
    }

    @Test
    void aHintFileOfAnotherSegmentIsNeverTrusted() {
        List<Path> hints = hints();
        for (int i = 0; i < hints.size(); i++) {
            byte[] other = pristine.get(hints.get((i + 1) % hints.size()));
            reopensRightOrRefuses(hints.get(i), b -> other.clone(), hints.get(i).getFileName() + " replaced by the hint of "
                    + hints.get((i + 1) % hints.size()).getFileName());
        }
    }

    @Test
    void aHintFileWithBytesAppendedIsNeverTrusted() {
        for (Path hint : hints()) {
            byte[] first = pristine.get(hints().get(0));
            reopensRightOrRefuses(hint, b -> {
                byte[] longer = Arrays.copyOf(b, b.length + first.length);
                System.arraycopy(first, 0, longer, b.length, first.length);
                return longer;
            }, hint.getFileName() + " with another hint appended");
        }
    }
}
