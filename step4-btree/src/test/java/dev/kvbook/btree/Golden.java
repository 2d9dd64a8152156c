package dev.kvbook.btree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files: bytes a format must produce exactly, kept under {@code src/test/resources/golden}.
 * Run with {@code -Dkvbook.golden.update=true} to write them anew after a deliberate format
 * change (then bump the format version and say so).
 */
final class Golden {

    private Golden() {
    }

    static byte[] read(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name + " (create it with -Dkvbook.golden.update=true)").isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts {@code actual} equals the golden file byte for byte (or rewrites it when updating). */
    static void assertMatches(String name, byte[] actual) {
        if (Boolean.getBoolean("kvbook.golden.update")) {
            try {
                Path file = Path.of("src/test/resources/golden", name);
                Files.createDirectories(file.getParent());
                Files.write(file, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        byte[] golden = read(name);
        assertThat(actual.length).as(name + " length").isEqualTo(golden.length);
        for (int i = 0; i < golden.length; i++) {
            if (actual[i] != golden[i]) {
                throw new AssertionError(name + " differs from the golden file at byte " + i + " (0x"
                        + Integer.toHexString(i) + "): expected 0x" + Integer.toHexString(golden[i] & 0xff)
                        + " but found 0x" + Integer.toHexString(actual[i] & 0xff));
            }
        }
    }
}
