package dev.kvbook.cli.lab;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A POSIX {@code ustar} archive written in memory, byte for byte the same for the same files:
 * the grader's pinned copy of the tests ({@link GraderFiles}) is checked by its SHA-256, so
 * exporting the same sources twice must give the same archive. Hence no clocks and no owners:
 * every entry has the same time ({@link #MTIME}), uid and gid 0, and a mode of 644 or 755.
 *
 * <pre>
 * archive := (header data padding)* 512 zero bytes 512 zero bytes
 * header  := 512 bytes:
 *   offset size field
 *        0  100 name      (the path's tail; the head goes in prefix when the path is longer)
 *      100    8 mode      octal, NUL-terminated
 *      108    8 uid, 116 8 gid, 124 12 size, 136 12 mtime   octal, NUL-terminated
 *      148    8 chksum    the sum of the header's bytes, the field itself counted as 8 blanks
 *      156    1 typeflag  '0': a regular file (the only kind written here)
 *      257    6 magic     "ustar\0", 263 2 version "00"
 *      345  155 prefix    the path's head, joined to name with a '/'
 * </pre>
 * Every reader on a GitHub runner, a Mac or a Linux box ({@code tar -xf}) reads it.
 */
final class TarWriter {

    /** The modification time of every entry: 2000-01-01T00:00:00Z, so that the bytes never depend on when. */
    static final long MTIME = 946_684_800L;

    private static final int BLOCK = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a regular file at {@code path} ({@code /}-separated, relative) with {@code data}. */
    void add(String path, byte[] data, boolean executable) {
        byte[] header = new byte[BLOCK];
        splitName(path, header);
        octal(header, 100, 8, executable ? 0755 : 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, data.length);
        octal(header, 136, 12, MTIME);
        header[156] = '0';
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum); // six digits and a NUL; the eighth byte stays a blank, as tar writes it
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
    }

    /** The archive: every file added, then the two zero blocks that end it. */
    byte[] finish() {
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** Puts {@code path} in the name field, or splits it at a '/' into prefix and name when it is longer than 100 bytes. */
    private static void splitName(String path, byte[] header) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 100) {
            System.arraycopy(bytes, 0, header, 0, bytes.length);
            return;
        }
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            byte[] prefix = path.substring(0, slash).getBytes(StandardCharsets.UTF_8);
            byte[] name = path.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
            if (prefix.length <= 155 && name.length <= 100) {
                System.arraycopy(name, 0, header, 0, name.length);
                System.arraycopy(prefix, 0, header, 345, prefix.length);
                return;
            }
        }
        throw new IllegalArgumentException("a path too long for a ustar archive: " + path);
    }

    /** {@code value} in octal, zero-padded to {@code width - 1} digits, then a NUL. */
    private static void octal(byte[] header, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException(value + " does not fit a " + width + "-byte tar field");
        }
        ascii(header, offset, "0".repeat(width - 1 - digits.length()) + digits + "\0");
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
