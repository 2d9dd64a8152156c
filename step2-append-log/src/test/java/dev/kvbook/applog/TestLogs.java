package dev.kvbook.applog;

import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Small helpers the step-2 tests share: bytes from strings, hand-made records, record offsets, file surgery. */
final class TestLogs {

    private TestLogs() {
    }

    static byte[] b(String text) {
        return Keys.utf8(text);
    }

    static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every record of the log at {@code path}, read with values, up to its first bad record. */
    static List<LogRecord> records(Path path) {
        List<LogRecord> records = new ArrayList<>();
        try (VfsFile file = Vfs.local().open(path, false)) {
            LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, file.size(), true);
            for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
        }
        return records;
    }

    /** Everything {@code get} would find, as strings: the log replayed through the store. */
    static Map<String, String> contents(AppendLogStore store) {
        Map<String, String> state = new HashMap<>();
        store.iterator().forEachRemaining(e -> state.put(s(e.key()), s(e.value())));
        return state;
    }

    static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path path, byte[] bytes) {
        try {
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One record laid out by hand, as the table in {@link LogFormat} draws it, with its CRC32C
     * computed here: so the tests of the reader's labs need no {@code encodeRecord} (another lab).
     * {@code typeByte} is written as given, flag and all, so tests can also make records no
     * writer would.
     */
    static byte[] handMade(int typeByte, String key, String value) {
        byte[] k = b(key);
        byte[] v = b(value);
        ByteBuffer record = ByteBuffer.allocate(4 + 1 + 2 + 4 + k.length + v.length);
        record.putInt(0).put((byte) typeByte).putShort((short) k.length).putInt(v.length).put(k).put(v);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), LogFormat.TYPE_AT, record.capacity() - LogFormat.TYPE_AT);
        record.putInt(LogFormat.CRC_AT, (int) crc.getValue());
        return record.array();
    }

    /** A log file's bytes: the file header, then each of {@code records} in order. */
    static byte[] logOf(byte[]... records) {
        ByteBuffer log = ByteBuffer.allocate(LogFormat.FILE_HEADER_SIZE + Arrays.stream(records).mapToInt(r -> r.length).sum());
        log.putInt(LogFormat.MAGIC).putInt(LogFormat.VERSION_CURRENT);
        for (byte[] record : records) {
            log.put(record);
        }
        return log.array();
    }

    /** XORs the byte at {@code offset} with 0xFF: damage a checksum will catch. */
    static void flipByte(Path path, long offset) {
        byte[] bytes = read(path);
        bytes[(int) offset] ^= (byte) 0xFF;
        write(path, bytes);
    }
}
