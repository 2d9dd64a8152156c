package dev.kvbook.bench;

import java.util.List;

/**
 * The figures of the step-specific workloads, which open a step through its own options rather
 * than its provider's defaults: step 3 reopened with and without hint files, step 4 loading in a
 * 64 MiB heap, and step 4 loading into its buffer pool beside RocksDB. A list is empty when its
 * step (or RocksDB) was not in the run.
 *
 * @param reopen    {@link HintFileReopen}'s rows, one per N
 * @param smallHeap {@link SmallHeapLoad}'s row, when it ran
 * @param pool      {@link PoolLoad}'s row, when it ran
 */
record StepFigures(List<HintFileReopen.Row> reopen, List<SmallHeapLoad.Row> smallHeap, List<PoolLoad.Row> pool) {

    /** No step-specific figures. */
    static StepFigures none() {
        return new StepFigures(List.of(), List.of(), List.of());
    }
}
