package dev.kvbook.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a learner should take from a store's tour figures, in words, computed from the figures
 * alone (never from the store's name), so a store that lands later gets lessons too. The rules
 * are checked in order of how much they say about the store's design; the first that holds is
 * the store's lesson, the others are things to notice as well. Where an earlier store of the
 * same tour did worse at the thing a rule praises, the lesson names it: an idea is clearest
 * beside the problem it solves.
 */
final class TourLessons {

    /** A write or read this many times the user's bytes is "the whole file", not a record. */
    private static final double MANY = 10;

    private TourLessons() {
    }

    /** The lessons, most important first; never empty. {@code earlier}: the stores toured before. */
    static List<String> of(TourFigures f, List<TourFigures> earlier) {
        List<String> lessons = new ArrayList<>();
        int user = TourFigures.USER_BYTES_PER_PUT;
        double lastPut = f.loaded().curve().lateBytesPerPut();
        long disk = f.loaded().diskAfterLoad();
        if (f.wrongAnswers() > 0) {
            lessons.add("BUG: " + Units.count(f.wrongAnswers(), "answer") + " differed from what was written: "
                    + "the store broke its contract");
        }
        if (lastPut > MANY * user && lastPut >= 0.5 * disk) {
            lessons.add("every put rewrote the whole file: by the end each " + user + "-byte put wrote "
                    + Units.bytes(lastPut) + ", so n puts write O(n²) bytes");
        }
        if (f.readPerGet() > MANY * user && f.readPerGet() >= 0.5 * disk) {
            lessons.add("every get read the whole log: " + Units.bytes(f.readPerGet()) + " read to find one "
                    + TourKeys.VALUE_SIZE + "-byte value, so gets slow down as the log grows");
        }
        if (f.read().done() > 0 && Math.abs(f.readsPerGet() - 1) < 0.05 && f.readPerGet() <= 2 * user) {
            // One read call of about one record per get: the store knew where the record was.
            String scanner = earlier.stream().filter(e -> e.readPerGet() > MANY * user)
                    .map(e -> "; " + e.store() + " read " + Units.bytes(e.readPerGet()) + " per get, scanning its log")
                    .findFirst().orElse("");
            lessons.add("a get read one record, " + Units.bytes(f.readPerGet()) + ", from the offset an index on the "
                    + "heap gave it: one read however long the log grows" + scanner);
        }
        boolean sortedRuns = f.own().atClose("flushes") > 0;
        if (sortedRuns) {
            lessons.add(sortedRuns(f, earlier));
        }
        if (f.own().readBack("bloomSkips") > 0 && f.read().done() > 0) {
            lessons.add(bloomFiltered(f));
        }
        if (!sortedRuns && f.syncsPerPut() > 0 && f.syncsPerPut() < 1.5 && f.writeAmplification() > MANY) {
            // Whole pages written, yet one fsync per put: the pages went to a log first.
            String inPlace = earlier.stream()
                    .filter(e -> e.writeAmplification() > MANY && e.syncsPerPut() >= f.syncsPerPut() + 1)
                    .map(e -> "; " + e.store() + ", writing its pages in place, needed " + Units.ratio(e.syncsPerPut()))
                    .findFirst().orElse("");
            lessons.add("a put changed whole pages (" + Units.bytes(f.writtenPerPut()) + " written) yet was durable "
                    + "after " + Units.ratio(f.syncsPerPut()) + " fsync: its pages went to the end of a log, one "
                    + "sequential write and one sync, and reach the main file later" + inPlace);
        }
        if (f.transaction().done() > 0) {
            lessons.add("a transaction of " + Units.count(f.transaction().done(), "put") + " committed with "
                    + Units.count(f.transaction().io().syncs(), "fsync") + " in " + Units.duration(f.transaction().nanos())
                    + ": all its keys became visible and durable together, and a crash before the commit's sync "
                    + "would have kept none of them");
        }
        if (f.read().done() > 0 && f.read().io().bytesRead() == 0) {
            // Two stores read nothing from disk for a get, for opposite reasons: one holds every
            // key on the heap (the heap grows with the data), the other found its pages in a
            // bounded cache (the heap stays small). The heap held after reopening tells which.
            boolean wholeDataOnHeap = f.reopen().heapHeld() >= f.stats().liveKeys() * (long) user / 2;
            lessons.add(wholeDataOnHeap
                    ? "gets never touched the disk: all " + Units.count(f.stats().liveKeys()) + " keys live on the heap ("
                            + Units.bytes(f.reopen().heapHeld()) + " held after reopening), so the data can never outgrow memory"
                    : "gets never touched the disk, yet the reopened store holds only " + Units.bytes(f.reopen().heapHeld())
                            + " of heap: the pages they needed were in a bounded cache, so the data can outgrow memory");
        }
        if (f.garbageFraction() >= 0.2) {
            lessons.add(String.format(Locale.ROOT, "%.0f%% of the bytes on disk are garbage: overwritten and deleted "
                    + "records stay there until compaction", 100 * f.garbageFraction()));
        }
        if (f.writeAmplification() > 0 && f.writeAmplification() <= 2) {
            lessons.add("a put wrote only " + Units.bytes(f.writtenPerPut()) + " for its " + user
                    + " bytes: appending a record is about as cheap as a write can be");
        }
        if (f.syncsPerPut() >= 1 && f.writeAmplification() <= MANY) {
            lessons.add("each put was durable on return, at the price of " + Units.ratio(f.syncsPerPut()) + " fsyncs per put: "
                    + "at " + Units.duration(Math.round(f.load().nanos() / (double) f.load().done()))
                    + " a put, the disk's flush, not the bytes, sets the pace");
        }
        if (f.reopen().io().bytesRead() >= 0.5 * f.stats().bytesOnDisk() && f.stats().bytesOnDisk() > MANY * user) {
            lessons.add("reopening read the whole file (" + Units.bytes(f.reopen().io().bytesRead()) + " in "
                    + Units.duration(f.reopen().reopenNanos()) + "): open costs O(data)");
        }
        if (lessons.isEmpty()) {
            lessons.add("a put wrote " + Units.bytes(f.writtenPerPut()) + " and a get read " + Units.bytes(f.readPerGet())
                    + " on average");
        }
        return lessons;
    }

    /**
     * The lesson of a store that flushed a memtable to sorted tables and merged them (step 6): how
     * often each happened, what the levels hold now, and what the rewriting cost in bytes, beside
     * the nearest earlier store that wrote far more per put by rewriting whole pages.
     */
    private static String sortedRuns(TourFigures f, List<TourFigures> earlier) {
        TourFigures.Own own = f.own();
        Object levels = own.atClose().detail("levels");
        // The nearest earlier store that wrote much more (step 5, then step 4), not the one that wrote
        // the most: step 1 rewrote its whole file, not pages, and has a lesson of its own.
        String inPlace = earlier.stream()
                .filter(e -> e.writeAmplification() > 1.5 * f.writeAmplification() && e.own().atClose("flushes") == 0
                        && e.loaded().curve().lateBytesPerPut() < 0.5 * e.loaded().diskAfterLoad())
                .reduce((first, second) -> second)
                .map(e -> "; " + e.store() + ", rewriting whole pages, wrote " + Units.ratio(e.writeAmplification()) + "x")
                .orElse("");
        return "puts went to a log and a sorted memtable; " + Units.count(own.atClose("flushes"), "time")
                + " a full memtable was written out whole as a sorted table (a flush), and "
                + Units.count(own.atClose("compactions"), "compaction") + " merged tables into longer sorted runs, "
                + "level by level (at the end: " + levels + "). Each byte was written " + Units.ratio(f.writeAmplification())
                + " times over, but only ever in whole files, once and in order, never updated in place" + inPlace;
    }

    /** What the Bloom filters saved the read-back: tables a get had to consider, and tables it read. */
    private static String bloomFiltered(TourFigures f) {
        long gets = f.read().done();
        long probes = f.own().readBack("tableProbes");
        long skips = f.own().readBack("bloomSkips");
        return "a get had " + Units.ratio((double) (probes + skips) / gets) + " tables whose key range held its key, "
                + "but their Bloom filters ruled out " + Units.count(skips) + " of those " + Units.count(probes + skips)
                + " tables unread, so it read from " + Units.ratio((double) probes / gets) + " table ("
                + Units.ratio(f.readsPerGet()) + " reads, " + Units.bytes(f.readPerGet()) + ") per get";
    }

    /** Why the load stopped early and what all the keys would have cost, or null when it did not. */
    static String whyStopped(TourFigures f, long budgetNanos) {
        if (!f.loadStoppedEarly()) {
            return null;
        }
        LoadCurve curve = f.loaded().curve();
        double early = curve.earlyNanosPerPut();
        double late = curve.lateNanosPerPut();
        String slowing = late > 1.3 * early
                ? "puts got slower as the store grew (" + Units.duration(Math.round(early)) + " each early on, "
                        + Units.duration(Math.round(late)) + " at the end)"
                : "puts took " + Units.duration(Math.round(late)) + " each";
        return "too slow for " + Units.count(f.keysAsked()) + " keys: the load used up its " + Units.duration(budgetNanos)
                + " after " + Units.count(f.keys()) + " keys; " + slowing + ", so all " + Units.count(f.keysAsked())
                + " would take upwards of " + Units.duration(curve.estimateNanos(f.keysAsked())) + " here. The tour goes on with "
                + Units.count(f.keys()) + " keys.";
    }
}
