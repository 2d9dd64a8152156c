package dev.kvbook.pickled;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Looks at a step-1 file from the outside, without opening the store: {@code verify} (every
 * check, every problem) and {@code inspect} (the layout for a person). Behind
 * {@link PickledStoreProvider}.
 */
final class PickleInspector {

    /** How many keys {@code inspect} lists. */
    private static final int KEYS_SHOWN = 5;

    private PickleInspector() {
    }

    /** See {@link PickledStoreProvider#verify}. */
    static VerifyReport verify(Path path, Vfs vfs) {
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        PickleFile file = new PickleFile(vfs, path);
        if (!vfs.exists(file.directory())) {
            checked.add("no directory " + file.directory() + ": nothing was ever written (an empty store)");
            return new VerifyReport(PickledStoreProvider.NAME, path, checked, problems);
        }
        if (!vfs.exists(path) && !vfs.exists(PickleFile.lockPathOf(path))) {
            // Neither a store nor a writer: nothing to lock against, and the lock would leave a lock file behind.
            checked.add("no file at " + path + ": an empty store that was never written");
            checkStaleTemp(file, vfs, checked);
            return new VerifyReport(PickledStoreProvider.NAME, path, checked, problems);
        }
        Closeable lock = file.lockShared();
        try {
            checked.add("took the readers' lock " + PickleFile.lockPathOf(path) + ": no writer has the store open");
            checkStaleTemp(file, vfs, checked);
            if (!vfs.exists(path)) {
                checked.add("no file at " + path + ": an empty store that was never written");
            } else {
                checkFile(path, vfs, checked, problems);
            }
        } finally {
            file.release(lock);
        }
        return new VerifyReport(PickledStoreProvider.NAME, path, checked, problems);
    }

    private static void checkStaleTemp(PickleFile file, Vfs vfs, List<String> checked) {
        if (vfs.exists(file.tempPath())) {
            checked.add("found a stale " + file.tempPath() + " (a crash mid-rewrite; open deletes it)");
        }
    }

    private static void checkFile(Path path, Vfs vfs, List<String> checked, List<String> problems) {
        byte[] bytes;
        try {
            bytes = PickledFormat.readFile(vfs, path);
        } catch (CorruptionException e) {
            problems.add(e.getMessage());
            return;
        }
        checked.add("read " + bytes.length + " bytes");
        checked.add("header (" + PickledFormat.HEADER_SIZE + " bytes): size, magic, version, header CRC32C, "
                + "flags, payload length against the file size");
        checked.add("payload CRC32C over " + Math.max(0, bytes.length - PickledFormat.HEADER_SIZE) + " bytes");
        PickledFormat.integrityProblems(path, bytes).forEach(e -> problems.add(e.getMessage()));
        if (bytes.length < PickledFormat.HEADER_SIZE) {
            return;
        }
        checked.add("payload deserialized behind the allow-list filter (Snapshot, byte[][], byte[] only)");
        try {
            Snapshot snapshot = Snapshot.deserialize(path, bytes, PickledFormat.PAYLOAD_OFFSET,
                    bytes.length - PickledFormat.PAYLOAD_OFFSET);
            checked.add(Plural.of(snapshot.size(), "key") + " strictly ascending (unsigned bytes), each within the key "
                    + "and value size limits");
        } catch (CorruptionException e) {
            problems.add(e.getMessage());
        }
    }

    /** See {@link PickledStoreProvider#inspect}. */
    static Inspection inspect(Path path, Vfs vfs) {
        if (!vfs.exists(path)) {
            return new Inspection(PickledStoreProvider.NAME, path,
                    "step1 pickled map: no file at " + path + " yet: an empty store (nothing is written until the first write)\n",
                    "flowchart LR\n  empty[\"no file yet: an empty store\"]\n");
        }
        byte[] bytes = PickledFormat.readFile(vfs, path);
        StringBuilder text = new StringBuilder("step1 pickled map: " + path + ", " + bytes.length + " bytes\n");
        if (bytes.length < PickledFormat.HEADER_SIZE) {
            text.append("too short for the ").append(PickledFormat.HEADER_SIZE).append("-byte header\n");
            return new Inspection(PickledStoreProvider.NAME, path, text.toString(),
                    "flowchart LR\n  short[\"" + bytes.length + " bytes: too short for a header\"]\n");
        }
        PickledFormat.Header h = PickledFormat.Header.read(bytes);
        String payload = describePayload(path, bytes);
        appendHeader(text, h);
        text.append("payload at offset ").append(PickledFormat.PAYLOAD_OFFSET).append(", ")
                .append(bytes.length - PickledFormat.PAYLOAD_OFFSET)
                .append(" bytes: Java serialization of one dev.kvbook.pickled.Snapshot\n  ").append(payload).append('\n');
        List<CorruptionException> problems = PickledFormat.integrityProblems(path, bytes);
        text.append(problems.isEmpty() ? "problems: none\n" : "problems:\n");
        problems.forEach(p -> text.append("  ").append(p.getMessage()).append('\n'));
        return new Inspection(PickledStoreProvider.NAME, path, text.toString(),
                mermaid(path, bytes.length, h, payload));
    }

    private static void appendHeader(StringBuilder text, PickledFormat.Header h) {
        text.append("header, ").append(PickledFormat.HEADER_SIZE).append(" bytes = 4 + 2 + 2 + 8 + 4 + 4\n")
                .append("  offset  size  field           value\n");
        field(text, PickledFormat.MAGIC_OFFSET, 4, "magic", PickledFormat.hex(h.magic())
                + (h.magic() == PickledFormat.MAGIC ? " \"KVP1\"" : " (expected " + PickledFormat.hex(PickledFormat.MAGIC) + ")"));
        field(text, PickledFormat.VERSION_OFFSET, 2, "version", String.valueOf(h.version()));
        field(text, PickledFormat.FLAGS_OFFSET, 2, "flags", String.format("0x%04x", h.flags()));
        field(text, PickledFormat.LENGTH_OFFSET, 8, "payload length", String.valueOf(h.payloadLength()));
        field(text, PickledFormat.PAYLOAD_CRC_OFFSET, 4, "payload CRC32C", PickledFormat.hex(h.payloadCrc()));
        field(text, PickledFormat.HEADER_CRC_OFFSET, 4, "header CRC32C", PickledFormat.hex(h.headerCrc()));
    }

    private static void field(StringBuilder text, int offset, int size, String name, String value) {
        text.append(String.format("  %6d  %4d  %-15s %s%n", offset, size, name, value));
    }

    /** "N entries; first keys: ..." or why the payload cannot be read. */
    private static String describePayload(Path path, byte[] bytes) {
        try {
            Snapshot s = Snapshot.deserialize(path, bytes, PickledFormat.PAYLOAD_OFFSET,
                    bytes.length - PickledFormat.PAYLOAD_OFFSET);
            String first = IntStream.range(0, Math.min(KEYS_SHOWN, s.size()))
                    .mapToObj(i -> Keys.toDisplay(s.keys()[i])).collect(Collectors.joining(", "));
            return s.size() + (s.size() == 1 ? " entry" : " entries")
                    + (s.size() == 0 ? "" : "; first keys: " + first + (s.size() > KEYS_SHOWN ? ", ..." : ""));
        } catch (CorruptionException e) {
            return "cannot be decoded: " + e.getMessage();
        }
    }

    /** The file as a left-to-right chain of its fields. Labels avoid double quotes (Mermaid syntax). */
    private static String mermaid(Path path, long size, PickledFormat.Header h, String payload) {
        String name = String.valueOf(path.getFileName()).replace('"', '\'');
        String entries = payload.startsWith("cannot") ? "cannot be decoded" : payload.split(";")[0];
        return "flowchart LR\n"
                + "  subgraph file[\"" + name + ", " + size + " bytes\"]\n"
                + "    direction LR\n"
                + "    magic[\"0: magic<br/>" + PickledFormat.hex(h.magic()) + "\"]"
                + " --> version[\"4: version<br/>" + h.version() + "\"]"
                + " --> flags[\"6: flags<br/>" + h.flags() + "\"]"
                + " --> length[\"8: payload length<br/>" + h.payloadLength() + "\"]"
                + " --> pcrc[\"16: payload CRC32C<br/>" + PickledFormat.hex(h.payloadCrc()) + "\"]"
                + " --> hcrc[\"20: header CRC32C<br/>" + PickledFormat.hex(h.headerCrc()) + "\"]"
                + " --> payload[\"24: payload, " + (size - PickledFormat.PAYLOAD_OFFSET) + " bytes<br/>"
                + "serialized Snapshot: " + entries + "\"]\n"
                + "  end\n";
    }
}
