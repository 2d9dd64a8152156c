package dev.kvbook.hashindex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Regenerates {@code golden/000001.hint} (run by hand only when the format version changes). */
final class GoldenWriter {
    public static void main(String[] args) throws Exception {
        byte[] bytes = HintFormatTest.bytes(HintFormat.encode(1, 58, HintFormatTest.EXAMPLE));
        Files.write(Path.of(args[0]), bytes);
        String hex = HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
        for (int i = 0; i < bytes.length; i += 16) {
            System.out.printf("%04X  %s%n", i, hex.substring(i * 3, Math.min(hex.length(), (i + 16) * 3 - 1)));
        }
    }
}
