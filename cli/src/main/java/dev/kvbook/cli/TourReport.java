package dev.kvbook.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the tour: a block per store with its figures and lessons, and at the end two tables with
 * every store side by side, one for writing and one for reading and reopening. Every line fits in
 * {@value Text#WIDTH} columns.
 */
final class TourReport {

    private final PrintWriter out;
    private final long budgetNanos;
    private final List<TourFigures> earlier = new ArrayList<>();

    TourReport(PrintWriter out, long budgetNanos) {
        this.out = out;
        this.budgetNanos = budgetNanos;
    }

    /** The heading printed before a store's run starts. */
    void heading(String store, String description) {
        out.println();
        Text.print(out, "", store + ": " + description);
        out.flush();
    }

    /** The figures of one store and what to notice in them. */
    void store(TourFigures f) {
        String stopped = TourLessons.whyStopped(f, budgetNanos);
        if (stopped != null) {
            Text.print(out, "  ", stopped);
        }
        phase(f.load(), "put", "");
        phase(f.read(), "get", f.wrongAnswers() == 0 ? "every value as written" : "");
        phase(f.phases().overwrite(), "put", "");
        phase(f.phases().delete(), "delete", "");
        phase(f.transaction(), "put", "one commit");
        int user = TourFigures.USER_BYTES_PER_PUT;
        line("written per put", Units.bytes(f.writtenPerPut()) + " for " + user + " bytes of key and value: "
                + "write amplification " + Units.ratio(f.writeAmplification()) + "x");
        line("read per get", Units.bytes(f.readPerGet()));
        line("syncs per put", Units.ratio(f.syncsPerPut()) + " (fsyncs of files and directories)");
        line("on disk", Units.count(f.stats().files(), "file") + ", "
                + Units.bytes(f.stats().bytesOnDisk()) + ", of which " + Units.bytes(f.stats().garbageBytes()) + " garbage");
        line("close, reopen", Units.duration(f.reopen().closeNanos()) + ", " + Units.duration(f.reopen().reopenNanos())
                + " (the reopen read " + Units.bytes(f.reopen().io().bytesRead()) + ")");
        line("heap held", "about " + Units.bytes(f.reopen().heapHeld()) + " by the reopened store");
        List<String> lessons = TourLessons.of(f, earlier);
        Text.wrap(lessons.get(0), "  lesson: ", "          ").forEach(out::println);
        lessons.stream().skip(1).forEach(l -> Text.wrap(l, "  notice: ", "          ").forEach(out::println));
        earlier.add(f);
        out.flush();
    }

    /** A store whose tour failed: the one line saying why. */
    void failed(String message) {
        Text.print(out, "  ", "the tour of this store failed: " + message);
        out.flush();
    }

    /** The side-by-side tables of every store's figures: writing, then reading and reopening. */
    void table(List<TourFigures> all) {
        if (all.isEmpty()) {
            return;
        }
        List<String[]> writing = new ArrayList<>();
        writing.add(new String[]{"store", "keys ", "puts/s", "written/put", "amplification", "syncs/put", "files",
                "on disk", "garbage"});
        List<String[]> reading = new ArrayList<>();
        reading.add(new String[]{"store", "keys ", "gets/s", "read/get", "reads/get", "reopen", "reopen read", "heap"});
        for (TourFigures f : all) {
            String keys = Units.count(f.keys()) + (f.loadStoppedEarly() ? "*" : " ");
            writing.add(new String[]{f.store(), keys, Units.rate(f.load().done(), f.load().nanos()).replace("/s", ""),
                    Units.bytes(f.writtenPerPut()), Units.ratio(f.writeAmplification()) + "x", Units.ratio(f.syncsPerPut()),
                    String.valueOf(f.stats().files()), Units.bytes(f.stats().bytesOnDisk()),
                    Units.bytes(f.stats().garbageBytes())});
            reading.add(new String[]{f.store(), keys, Units.rate(f.read().done(), f.read().nanos()).replace("/s", ""),
                    Units.bytes(f.readPerGet()), Units.ratio(f.readsPerGet()), Units.duration(f.reopen().reopenNanos()),
                    Units.bytes(f.reopen().io().bytesRead()), Units.bytes(f.reopen().heapHeld())});
        }
        out.println();
        out.println("side by side, writing (per put: averages over the load):");
        printColumns(writing);
        out.println();
        out.println("side by side, reading and reopening (per get: averages over the read-back):");
        printColumns(reading);
        if (all.stream().anyMatch(TourFigures::loadStoppedEarly)) {
            out.println("  * fewer keys than asked: the load ran out of its time budget");
        }
        out.flush();
    }

    private void phase(TourFigures.Phase phase, String unit, String note) {
        if (phase.planned() == 0) {
            return;
        }
        String count = Units.count(phase.done(), unit);
        String stopped = phase.stoppedEarly() && !phase.name().equals("load")
                ? " (stopped at the time budget, " + Units.count(phase.planned()) + " planned)" : "";
        line(phase.name(), String.format("%-14s in %-8s %s%s%s", count, Units.duration(phase.nanos()),
                Units.rate(phase.done(), phase.nanos()).replace("/s", " " + unit + "s/s"),
                note.isEmpty() ? "" : ", " + note, stopped));
    }

    private void line(String label, String value) {
        out.println(String.format("  %-16s %s", label, value));
    }

    /** Prints rows as columns: the first left-aligned, the others right-aligned. */
    private void printColumns(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                String cell = c == 0 ? String.format("%-" + widths[c] + "s", row[c]) : String.format("%" + widths[c] + "s", row[c]);
                text.append(c == 0 ? "  " : "  ").append(cell);
            }
            out.println(text);
        }
    }
}
