package dev.kvbook.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the exact bytes a format must produce, kept in each module under
 * {@code src/test/resources/golden/}, so that a change to a format cannot pass unnoticed. Every
 * step pins its formats through this one class.
 *
 * <p><b>After a deliberate format change</b> (which also needs a new format version, and a new
 * worked example in the {@code *Format} Javadoc), write the files anew by running that module's
 * tests with {@code -Dkvbook.golden.update=true}, for example
 * {@code ./mvnw -pl step4-btree -am test -Dkvbook.golden.update=true}, and review the diff. In that
 * mode {@link #assertMatches} writes {@code actual} before it compares, so the run shows which
 * files changed (git does) rather than failing on them; without it, nothing is ever written.
 */
public final class GoldenFiles {

    /** The system property that turns {@link #assertMatches} into a writer. */
    public static final String UPDATE_PROPERTY = "kvbook.golden.update";

    private static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

    private GoldenFiles() {
    }

    /** The bytes of golden file {@code name}, from the test class path. */
    public static byte[] read(String name) {
        try (InputStream in = GoldenFiles.class.getClassLoader().getResourceAsStream("golden/" + name)) {
            if (in == null) {
                throw new AssertionError("no golden file " + DIRECTORY.resolve(name) + " on the test class path"
                        + " (create it with -D" + UPDATE_PROPERTY + "=true)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts {@code actual} equals golden file {@code name} byte for byte, naming the first byte
     * that differs. With {@code -Dkvbook.golden.update=true}, first writes {@code actual} as the
     * golden file (surefire runs in the module's directory).
     */
    public static void assertMatches(String name, byte[] actual) {
        byte[] golden;
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(name, actual);
            golden = actual;
        } else {
            golden = read(name);
        }
        int length = Math.min(golden.length, actual.length);
        for (int i = 0; i < length; i++) {
            if (actual[i] != golden[i]) {
                throw new AssertionError(name + " differs from the golden file at byte " + i + " (0x"
                        + Integer.toHexString(i) + "): expected 0x" + Integer.toHexString(golden[i] & 0xff)
                        + " but found 0x" + Integer.toHexString(actual[i] & 0xff));
            }
        }
        if (actual.length != golden.length) {
            throw new AssertionError(name + ": expected " + golden.length + " bytes as in the golden file, but found "
                    + actual.length);
        }
    }

    private static void write(String name, byte[] bytes) {
        try {
            Path file = DIRECTORY.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
