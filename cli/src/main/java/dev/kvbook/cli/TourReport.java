package dev.kvbook.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the tour: a block per store with its figures and lessons, and at the end one table with
 * every store side by side.
 */
final class TourReport {

    private final PrintWriter out;
    private final long budgetNanos;

    TourReport(PrintWriter out, long budgetNanos) {
        this.out = out;
        this.budgetNanos = budgetNanos;
    }

    /** The heading printed before a store's run starts. */
    void heading(String store, String description) {
        out.println();
        out.println(store + ": " + description);
        out.flush();
    }

    /** The figures of one store and what to notice in them. */
    void store(TourFigures f) {
        String stopped = TourLessons.whyStopped(f, budgetNanos);
        if (stopped != null) {
            out.println("  " + stopped);
        }
        phase(f.load(), "puts", "");
        phase(f.read(), "gets", f.wrongAnswers() == 0 ? "every value as written" : "");
        phase(f.overwrite(), "puts", "");
        phase(f.delete(), "deletes", "");
        int user = TourFigures.USER_BYTES_PER_PUT;
        line("written per put", Units.bytes(f.writtenPerPut()) + " for " + user + " bytes of key and value: write amplification "
                + Units.ratio(f.writeAmplification()) + "x");
        line("read per get", Units.bytes(f.readPerGet()));
        line("syncs per put", Units.ratio(f.syncsPerPut()) + " (fsyncs of files and directories)");
        line("on disk", f.stats().files() + (f.stats().files() == 1 ? " file, " : " files, ")
                + Units.bytes(f.stats().bytesOnDisk()) + ", of which " + Units.bytes(f.stats().garbageBytes()) + " garbage");
        line("close, reopen", Units.duration(f.reopen().closeNanos()) + ", " + Units.duration(f.reopen().reopenNanos())
                + " (the reopen read " + Units.bytes(f.reopen().io().bytesRead()) + ")");
        line("heap held", "about " + Units.bytes(f.reopen().heapHeld()) + " by the reopened store");
        List<String> lessons = TourLessons.of(f);
        out.println("  lesson: " + lessons.get(0));
        lessons.stream().skip(1).forEach(l -> out.println("  notice: " + l));
        out.flush();
    }

    /** A store whose tour failed: the one line saying why. */
    void failed(String message) {
        out.println("  the tour of this store failed: " + message);
        out.flush();
    }

    /** The side-by-side table of every store's figures. */
    void table(List<TourFigures> all) {
        if (all.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"store", "keys ", "puts/s", "gets/s", "written/put", "amplification", "syncs/put",
                "read/get", "files", "on disk", "garbage", "reopen", "heap"});
        for (TourFigures f : all) {
            rows.add(new String[]{f.store(), Units.count(f.keys()) + (f.loadStoppedEarly() ? "*" : " "),
                    Units.rate(f.load().done(), f.load().nanos()).replace("/s", ""),
                    Units.rate(f.read().done(), f.read().nanos()).replace("/s", ""),
                    Units.bytes(f.writtenPerPut()), Units.ratio(f.writeAmplification()) + "x",
                    Units.ratio(f.syncsPerPut()), Units.bytes(f.readPerGet()), String.valueOf(f.stats().files()),
                    Units.bytes(f.stats().bytesOnDisk()), Units.bytes(f.stats().garbageBytes()),
                    Units.duration(f.reopen().reopenNanos()), Units.bytes(f.reopen().heapHeld())});
        }
        out.println();
        out.println("side by side (per put and per get: averages over the load and the read-back):");
        printColumns(rows);
        if (all.stream().anyMatch(TourFigures::loadStoppedEarly)) {
            out.println("  * fewer keys than asked: the store was too slow to load them all within the time budget");
        }
        out.flush();
    }

    private void phase(TourFigures.Phase phase, String unit, String note) {
        if (phase.planned() == 0) {
            return;
        }
        String count = Units.count(phase.done()) + " " + unit;
        String stopped = phase.stoppedEarly() && !phase.name().equals("load")
                ? " (stopped at the time budget, " + Units.count(phase.planned()) + " planned)" : "";
        line(phase.name(), String.format("%-14s in %-8s %s%s%s", count, Units.duration(phase.nanos()),
                Units.rate(phase.done(), phase.nanos()).replace("/s", " " + unit + "/s"),
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
