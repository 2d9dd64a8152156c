package dev.kvbook.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Keys and values as people type and read them: text, or hex bytes after a {@code 0x} prefix.
 *
 * <p>Stores keep bytes, not strings. On the command line {@code greeting} means the UTF-8 bytes
 * of "greeting", and {@code 0x00ff} means the two bytes 0x00 and 0xff. Going the other way,
 * {@link #format} prints bytes so that they can be typed back in: plain text when they are
 * printable UTF-8, in double quotes when they contain spaces or quotes or are empty, and as
 * {@code 0x} hex otherwise (also for text that itself starts with {@code 0x}, which typed as text
 * would read as hex). So {@code kv get} output can be pasted into {@code kv put}.
 */
public final class ByteArgs {

    private static final HexFormat HEX = HexFormat.of();

    private ByteArgs() {
    }

    /**
     * Parses a key or value argument: {@code 0x} followed by hex digits is bytes, anything else is
     * UTF-8 text.
     *
     * @throws UsageException when the hex is malformed, naming the argument and what is allowed
     */
    public static byte[] parse(String argument) {
        if (!argument.startsWith("0x") && !argument.startsWith("0X")) {
            return argument.getBytes(StandardCharsets.UTF_8);
        }
        String digits = argument.substring(2);
        if (digits.length() % 2 != 0 || !digits.chars().allMatch(ByteArgs::isHexDigit)) {
            throw new UsageException("malformed hex '" + argument + "': after 0x give an even number of hex digits "
                    + "(0-9, a-f), such as 0x6b6579 for the bytes of \"key\"");
        }
        return HEX.parseHex(digits);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * Formats bytes so that {@link #parse} (after the shell's quoting) gives them back: text when
     * printable, quoted text when it needs quoting, {@code 0x} hex otherwise. O(length).
     */
    public static String format(byte[] bytes) {
        String text = printableText(bytes);
        if (text == null || text.startsWith("0x") || text.startsWith("0X")) {
            return "0x" + HEX.formatHex(bytes);
        }
        boolean needsQuotes = text.isEmpty() || text.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\\');
        return needsQuotes ? quote(text) : text;
    }

    /** Wraps {@code text} in double quotes, escaping quotes and backslashes with a backslash. */
    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The bytes as a string when they are valid UTF-8 with no control characters, else null. */
    private static String printableText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean printable = text.codePoints().noneMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.UNASSIGNED);
        return printable ? text : null;
    }
}
