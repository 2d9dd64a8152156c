package dev.kvbook.pickled;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Looks at a step-1 file from the outside, without opening the store: {@code verify} (every
 * check, every problem) and {@code inspect} (the layout for a person, and as a paged
 * {@link dev.kvbook.api.inspect.StoreModel}: see {@link PickledStoreProvider#inspect(Path, Vfs, Window)}). Behind
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

    /** See {@link PickledStoreProvider#inspect(Path, Vfs, Window)}. */
    static Inspection inspect(Path path, Vfs vfs, Window window) {
        StoreModel.Builder model = StoreModel.builder(PickledStoreProvider.NAME, String.valueOf(path));
        if (!vfs.exists(path)) {
            model.fact("file", "none yet: an empty store").fact("entries", 0)
                    .region(new Region("file", "file", "no file yet", Map.of("bytes", "0"), 0, List.of()));
            lookup(model, window, null, null);
            return new Inspection(PickledStoreProvider.NAME, path,
                    "step1 pickled map: no file at " + path + " yet: an empty store (nothing is written until the first write)\n",
                    "flowchart LR\n  empty[\"no file yet: an empty store\"]\n", model.build());
        }
        byte[] bytes = PickledFormat.readFile(vfs, path);
        StringBuilder text = new StringBuilder("step1 pickled map: " + path + ", " + bytes.length + " bytes\n");
        String name = String.valueOf(path.getFileName());
        model.fact("file", name).fact("bytes", bytes.length);
        if (bytes.length < PickledFormat.HEADER_SIZE) {
            text.append("too short for the ").append(PickledFormat.HEADER_SIZE).append("-byte header\n");
            String problem = "the file is " + bytes.length + " bytes, too short for the "
                    + PickledFormat.HEADER_SIZE + "-byte header";
            model.problem(problem).region(new Region("file", "file", name + ", " + bytes.length + " bytes",
                    fileFacts(name, bytes.length, null), 1, List.of(new Item("file@0", "damaged", 0,
                    "too short for a header", 0, bytes.length, "damaged", List.of(), Map.of()))));
            lookup(model, window, null, "the file is damaged, so the store would not open");
            return new Inspection(PickledStoreProvider.NAME, path, text.toString(),
                    "flowchart LR\n  short[\"" + bytes.length + " bytes: too short for a header\"]\n", model.build());
        }
        PickledFormat.Header h = PickledFormat.Header.read(bytes);
        Snapshot snapshot = null;
        String payload;
        try {
            snapshot = Snapshot.deserialize(path, bytes, PickledFormat.PAYLOAD_OFFSET,
                    bytes.length - PickledFormat.PAYLOAD_OFFSET);
            payload = describePayload(snapshot);
        } catch (CorruptionException e) {
            payload = "cannot be decoded: " + e.getMessage();
        }
        appendHeader(text, h);
        text.append("payload at offset ").append(PickledFormat.PAYLOAD_OFFSET).append(", ")
                .append(bytes.length - PickledFormat.PAYLOAD_OFFSET)
                .append(" bytes: Java serialization of one dev.kvbook.pickled.Snapshot\n  ").append(payload).append('\n');
        List<CorruptionException> problems = PickledFormat.integrityProblems(path, bytes);
        text.append(problems.isEmpty() ? "problems: none\n" : "problems:\n");
        problems.forEach(p -> text.append("  ").append(p.getMessage()).append('\n'));
        buildModel(model, name, bytes, h, snapshot, payload, problems, window);
        return new Inspection(PickledStoreProvider.NAME, path, text.toString(),
                mermaid(path, bytes.length, h, payload), model.build());
    }

    /**
     * The file as one region: the header, then one {@code record} per entry (or one
     * {@code damaged} item for a payload that cannot be decoded), paged by {@code window}.
     */
    private static void buildModel(StoreModel.Builder model, String name, byte[] bytes, PickledFormat.Header h,
                                   Snapshot snapshot, String payload, List<CorruptionException> problems,
                                   Window window) {
        problems.forEach(p -> model.problem(p.getMessage()));
        boolean headerDamaged = problems.stream().anyMatch(p -> p.offset() < PickledFormat.HEADER_SIZE);
        PickleLayout.Layout layout = snapshot == null ? null : PickleLayout.locate(bytes, PickledFormat.PAYLOAD_OFFSET);
        if (snapshot != null && layout == null) {
            model.problem("the payload decodes, but not in the shape ObjectOutputStream writes for a Snapshot,"
                    + " so its entries cannot be placed in the file");
        }
        int entries = layout == null ? 0 : snapshot.size();
        long total = 1 + (layout == null ? 1 : entries); // the header, then the entries or the undecodable payload
        model.fact("entries", snapshot == null ? "unknown" : String.valueOf(snapshot.size()));
        List<Item> items = new ArrayList<>();
        int lookupIndex = -1;
        byte[] key = window.lookupKey();
        if (key != null && layout != null) {
            lookupIndex = java.util.Arrays.binarySearch(snapshot.keys(), key, Keys.COMPARATOR);
        }
        if (window.shows(0, total)) {
            items.add(new Item("file@0", "header", 0, "header", 0, PickledFormat.HEADER_SIZE,
                    headerDamaged ? "damaged" : "live", List.of(), headerFields(h)));
        }
        if (layout == null) {
            if (window.shows(1, total)) {
                items.add(new Item("file@" + PickledFormat.PAYLOAD_OFFSET, snapshot == null ? "damaged" : "record", 1,
                        snapshot == null ? "payload: cannot be decoded" : "payload", PickledFormat.PAYLOAD_OFFSET,
                        bytes.length - PickledFormat.PAYLOAD_OFFSET, snapshot == null ? "damaged" : "live",
                        List.of(), Map.of("payload", payload)));
            }
            if (snapshot == null) {
                model.problem("payload " + payload);
            }
        } else {
            for (int i = 0; i < entries; i++) {
                if (window.shows(i + 1, total) || i == lookupIndex) {
                    items.add(record(snapshot, layout, i));
                }
            }
        }
        model.region(new Region("file", "file", name + ", " + bytes.length + " bytes",
                fileFacts(name, bytes.length, snapshot), total, items));
        if (!problems.isEmpty() || snapshot == null) {
            lookup(model, window, null, "the file is damaged, so the store would not open");
        } else if (layout == null) {
            boolean found = java.util.Arrays.binarySearch(snapshot.keys(), key == null ? new byte[0] : key,
                    Keys.COMPARATOR) >= 0;
            lookup(model, window, found ? "file@" + PickledFormat.PAYLOAD_OFFSET : null, null);
        } else {
            lookup(model, window, lookupIndex >= 0 ? "file@" + layout.keys().get(lookupIndex).offset() : null, null);
        }
    }

    private static Item record(Snapshot snapshot, PickleLayout.Layout layout, int i) {
        PickleLayout.Span k = layout.keys().get(i);
        PickleLayout.Span v = layout.values().get(i);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key bytes", String.valueOf(snapshot.keys()[i].length));
        fields.put("value size", String.valueOf(snapshot.values()[i].length));
        fields.put("value at", String.valueOf(v.offset()));
        fields.put("value length", String.valueOf(v.length()));
        if (v.shared()) {
            fields.put("value shares", "the array at " + v.data());
        }
        return new Item("file@" + k.offset(), "record", i + 1, "entry " + i, k.offset(), k.length(), "live",
                List.of(Keys.toDisplay(snapshot.keys()[i])), fields);
    }

    private static Map<String, String> headerFields(PickledFormat.Header h) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("magic", PickledFormat.hex(h.magic()));
        fields.put("version", String.valueOf(h.version()));
        fields.put("flags", String.format("0x%04x", h.flags()));
        fields.put("payload length", String.valueOf(h.payloadLength()));
        fields.put("payload CRC32C", PickledFormat.hex(h.payloadCrc()));
        fields.put("header CRC32C", PickledFormat.hex(h.headerCrc()));
        return fields;
    }

    private static Map<String, String> fileFacts(String name, long size, Snapshot snapshot) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("file", name);
        facts.put("bytes", String.valueOf(size));
        facts.put("payload bytes", String.valueOf(Math.max(0, size - PickledFormat.PAYLOAD_OFFSET)));
        facts.put("entries", snapshot == null ? "unknown" : String.valueOf(snapshot.size()));
        return facts;
    }

    /**
     * The path of {@code get(window.lookupKey())}: step 1 answers from the sorted map it holds in
     * memory, so a get touches at most the one entry it finds and never reads the file.
     */
    private static void lookup(StoreModel.Builder model, Window window, String recordId, String damage) {
        byte[] key = window.lookupKey();
        if (key == null) {
            return;
        }
        String display = Keys.toDisplay(key);
        if (damage != null) {
            model.lookup(new Lookup(display, false, List.of(), damage));
        } else if (recordId == null) {
            model.lookup(new Lookup(display, false, List.of(),
                    "not in the map: the map is in memory (loaded whole at open), so a get reads no file"));
        } else {
            model.lookup(new Lookup(display, true, List.of(recordId),
                    "found in the in-memory map, a copy of this entry loaded at open: a get reads no file"));
        }
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

    /** "N entries; first keys: ...". */
    private static String describePayload(Snapshot s) {
        String first = IntStream.range(0, Math.min(KEYS_SHOWN, s.size()))
                .mapToObj(i -> Keys.toDisplay(s.keys()[i])).collect(Collectors.joining(", "));
        return s.size() + (s.size() == 1 ? " entry" : " entries")
                + (s.size() == 0 ? "" : "; first keys: " + first + (s.size() > KEYS_SHOWN ? ", ..." : ""));
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
