package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The manifest ({@code MANIFEST-NNNNNN}) and its pointer ({@code CURRENT}): which tables make up
 * the store, at which level. This Javadoc is the specification; {@code ManifestFormatTest} pins
 * both files against golden files and the worked example.
 *
 * <h2>The manifest is a step-2 log of version edits</h2>
 * As in LevelDB, the manifest is written in the same log format as the memtable's log: step 2's
 * {@link dev.kvbook.applog.LogFormat} (magic "KVLG", records with CRC32C and the SYNCED_BEFORE
 * flag), so it inherits that format's torn-tail rule. Each record is a PUT with an empty key
 * whose value is one encoded {@link VersionEdit}:
 * <pre>
 * manifest := log-header record*                        (step 2's LogFormat)
 * record   := a PUT, key "" (length 0), value = edit
 * edit     := logNumber:u64 nextFileNumber:u64
 *             removedCount:u16 removed* addedCount:u16 added*      EDIT_FIXED  = 8 + 8 + 2 + 2 = 20
 * removed  := level:u8 fileNumber:u64                                REMOVED_SIZE = 1 + 8 = 9
 * added    := level:u8 fileNumber:u64 fileSize:u64
 *             smallestLength:u16 smallest largestLength:u16 largest  ADDED_FIXED = 1 + 8 + 8 + 2 + 2 = 21
 * </pre>
 * Replaying the edits in order from an empty set gives the store's tables. The first record of a
 * manifest is a <em>snapshot</em>: one edit adding every table there was when the manifest was
 * started. Every edit is appended and fsynced before anything acts on it (a table is used, a log
 * or table deleted).
 *
 * <h2>CURRENT</h2>
 * <pre>
 * current := magic:u32 version:u32 manifestNumber:u64 crc:u32   CURRENT_SIZE = 4 + 4 + 8 + 4 = 20
 * </pre>
 * {@code magic} is {@code 0x4B564355}, ASCII "KVCU"; {@code version} 1; {@code crc} the CRC32C of
 * the 16 bytes before it. It is only ever replaced whole ({@code CURRENT.tmp}, fsync, rename,
 * directory fsync), so it is never torn: any other length, or any failed check, is corruption.
 *
 * <h2>Worked example</h2>
 * A store whose manifest 3 was started holding table 5 at level 0 (164 bytes, keys "cat" to
 * "eel": {@link TableFormat}'s example), with log 4 live and 6 the next file number.
 * CURRENT ({@code golden/CURRENT}), 20 bytes:
 * <pre>
 * 0000  4B 56 43 55 00 00 00 01 00 00 00 00 00 00 00 03
 * 0010  8D B7 FF 47
 * </pre>
 * {@code 4B 56 43 55} "KVCU", {@code 00 00 00 01} version 1, {@code 00 .. 03} manifest 3,
 * {@code 8D B7 FF 47} the CRC32C of the 16 bytes before it.
 * <p>The manifest ({@code golden/MANIFEST-000003}), one snapshot record, 8 + 11 + 47 = 66 bytes:
 * <pre>
 * 0000  4B 56 4C 47 00 00 00 01 71 21 F6 9E 81 00 00 00
 * 0010  00 00 2F 00 00 00 00 00 00 00 04 00 00 00 00 00
 * 0020  00 00 06 00 00 00 01 00 00 00 00 00 00 00 00 05
 * 0030  00 00 00 00 00 00 00 A4 00 03 63 61 74 00 03 65
 * 0040  65 6C
 * </pre>
 * <pre>
 * offset  0  4B 56 4C 47  00 00 00 01      step 2's log header: "KVLG", version 1
 * offset  8  71 21 F6 9E crc32c   81 PUT with SYNCED_BEFORE   00 00 key length 0   00 00 00 2F value length 47
 * offset 19  the edit, 20 + 21 + 3 + 3 = 47 bytes:
 *            00 .. 04 logNumber 4   00 .. 06 nextFileNumber 6   00 00 nothing removed   00 01 one added:
 *            00 level 0   00 .. 05 table 5   00 .. A4 164 bytes   00 03 "cat"   00 03 "eel"
 * </pre>
 * Opening this store replays the edit (level 0: table 5), checks that {@code 000004.log} exists,
 * opens {@code 000005.sst}, replays log 4 into the memtable, and starts manifest 6.
 *
 * <h2>Invariants</h2>
 * <ol>
 * <li>{@code CURRENT} names a manifest that is whole and durable: a new manifest is written
 *     under a temp name, fsynced and renamed before CURRENT is replaced to name it.</li>
 * <li>An edit is durable (appended and fsynced) before the store acts on it: before a new table
 *     is read, before a flushed log or a compacted table is deleted. So after a crash, the
 *     manifest never names a file that is gone, and the files no edit names are garbage from
 *     an interrupted flush or compaction, which open deletes.</li>
 * <li>The log numbered {@code logNumber} (of the last edit) exists: it was created, and made
 *     durable in the directory, before any edit named it, and it is deleted only after a later
 *     edit has moved {@code logNumber} past it. A missing one means the manifest lost edits
 *     (damage cut it short), which open reports as corruption rather than guess.</li>
 * <li>The manifest follows step 2's torn-tail rule. Because every edit is fsynced before the next
 *     is written, every record carries the SYNCED_BEFORE flag, and damage before the last record
 *     is corruption. A clean close appends a counters-only edit, so that the last edit that
 *     changed anything is never the last record, and damage to it is detected too.</li>
 * <li>Levels are 0 to {@link #MAX_LEVELS} - 1; key lengths at most 1024; {@code smallest <= largest}.</li>
 * </ol>
 */
final class ManifestFormat {

    /** Levels 0 to 6, as LevelDB. */
    static final int MAX_LEVELS = 7;

    static final int EDIT_FIXED = 8 + 8 + 2 + 2;
    static final int REMOVED_SIZE = 1 + 8;
    static final int ADDED_FIXED = 1 + 8 + 8 + 2 + 2;

    /** "KVCU": kvbook CURRENT. */
    static final int CURRENT_MAGIC = 0x4B564355;
    static final int CURRENT_VERSION = 1;
    static final int CURRENT_SIZE = 4 + 4 + 8 + 4;

    private ManifestFormat() {
    }

    /** The bytes of one edit (the value of its manifest record). */
    static byte[] encodeEdit(VersionEdit edit) {
        int size = EDIT_FIXED + edit.removed().size() * REMOVED_SIZE;
        for (VersionEdit.Added a : edit.added()) {
            size += ADDED_FIXED + a.table().smallest().length + a.table().largest().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(edit.logNumber()).putLong(edit.nextFileNumber());
        out.putShort((short) edit.removed().size());
        for (VersionEdit.Removed r : edit.removed()) {
            out.put((byte) r.level()).putLong(r.number());
        }
        out.putShort((short) edit.added().size());
        for (VersionEdit.Added a : edit.added()) {
            TableInfo t = a.table();
            out.put((byte) a.level()).putLong(t.number()).putLong(t.size())
                    .putShort((short) t.smallest().length).put(t.smallest())
                    .putShort((short) t.largest().length).put(t.largest());
        }
        assert !out.hasRemaining();
        return out.array();
    }

    /**
     * Decodes an edit from a manifest record's value; {@code path} and {@code offset} (the
     * record's) are for the message. Every count, length and level is checked before use.
     */
    static VersionEdit decodeEdit(byte[] value, Path path, long offset) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            long logNumber = in.getLong();
            long nextFileNumber = in.getLong();
            int removedCount = Short.toUnsignedInt(in.getShort());
            List<VersionEdit.Removed> removed = new ArrayList<>();
            for (int i = 0; i < removedCount; i++) {
                removed.add(new VersionEdit.Removed(level(in.get(), path, offset), in.getLong()));
            }
            int addedCount = Short.toUnsignedInt(in.getShort());
            List<VersionEdit.Added> added = new ArrayList<>();
            for (int i = 0; i < addedCount; i++) {
                int level = level(in.get(), path, offset);
                long number = in.getLong();
                long size = in.getLong();
                byte[] smallest = key(in, path, offset);
                byte[] largest = key(in, path, offset);
                if (Keys.COMPARATOR.compare(smallest, largest) > 0) {
                    throw new CorruptionException(path, offset, "table " + number + "'s key range",
                            "smallest <= largest", Keys.toDisplay(smallest) + " > " + Keys.toDisplay(largest));
                }
                added.add(new VersionEdit.Added(level, new TableInfo(number, size, smallest, largest)));
            }
            if (in.hasRemaining()) {
                throw new CorruptionException(path, offset, "version edit length", in.position() + " bytes", value.length + " bytes");
            }
            return new VersionEdit(logNumber, nextFileNumber, removed, added);
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptionException(path, offset, "version edit", "a whole edit", "an edit cut short at "
                    + value.length + " bytes");
        }
    }

    private static int level(byte stored, Path path, long offset) {
        int level = Byte.toUnsignedInt(stored);
        if (level >= MAX_LEVELS) {
            throw new CorruptionException(path, offset, "level", "0 to " + (MAX_LEVELS - 1), level);
        }
        return level;
    }

    private static byte[] key(ByteBuffer in, Path path, long offset) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > Limits.MAX_KEY_SIZE) {
            throw new CorruptionException(path, offset, "key length in an edit", "at most " + Limits.MAX_KEY_SIZE, length);
        }
        byte[] key = new byte[length];
        in.get(key);
        return key;
    }

    /** The 20 bytes of CURRENT naming manifest {@code number}. */
    static ByteBuffer encodeCurrent(long manifestNumber) {
        ByteBuffer out = ByteBuffer.allocate(CURRENT_SIZE);
        out.putInt(CURRENT_MAGIC).putInt(CURRENT_VERSION).putLong(manifestNumber);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.flip();
    }

    /** The manifest number in CURRENT's bytes, every check made. */
    static long decodeCurrent(byte[] bytes, Path path) {
        if (bytes.length != CURRENT_SIZE) {
            throw new CorruptionException(path, 0, "CURRENT size", CURRENT_SIZE + " bytes (it is replaced whole, never torn)",
                    bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(0) != CURRENT_MAGIC) {
            throw new CorruptionException(path, 0, "CURRENT magic", TableFormat.hex(CURRENT_MAGIC) + " (\"KVCU\")",
                    TableFormat.hex(in.getInt(0)));
        }
        if (in.getInt(4) != CURRENT_VERSION) {
            throw new CorruptionException(path, 4, "CURRENT version", CURRENT_VERSION, in.getInt(4));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 16);
        if (in.getInt(16) != (int) crc.getValue()) {
            throw new CorruptionException(path, 16, "CURRENT checksum (CRC32C)", TableFormat.hex(in.getInt(16)) + " as stored",
                    TableFormat.hex((int) crc.getValue()) + " computed (hardware problem?)");
        }
        return in.getLong(8);
    }
}
