package dev.kvbook.bench;

import java.util.List;

/**
 * The figures of the step-specific workloads, which open a step through its own options rather
 * than its provider's defaults: step 3 reopened with and without hint files, step 4 loading in a
 * 64 MiB heap, step 4 loading into its buffer pool beside RocksDB, and step 6's load table (beside
 * steps 3 to 5 and RocksDB) and Bloom filters. A list is empty when its step (or RocksDB) was not
 * in the run.
 *
 * @param reopen    {@link HintFileReopen}'s rows, one per N
 * @param smallHeap {@link SmallHeapLoad}'s row, when it ran
 * @param pool      {@link PoolLoad}'s row, when it ran
 * @param lsmLoad   {@link LsmLoad}'s rows, one per store and N
 * @param bloom     {@link BloomFalsePositives}'s rows, one per bits-per-key setting
 */
record StepFigures(List<HintFileReopen.Row> reopen, List<SmallHeapLoad.Row> smallHeap, List<PoolLoad.Row> pool,
                   List<LsmLoad.Row> lsmLoad, List<BloomFalsePositives.Row> bloom) {

    /** The figures of steps 3 and 4 alone, without step 6's. */
    StepFigures(List<HintFileReopen.Row> reopen, List<SmallHeapLoad.Row> smallHeap, List<PoolLoad.Row> pool) {
        this(reopen, smallHeap, pool, List.of(), List.of());
    }

    /** No step-specific figures. */
    static StepFigures none() {
        return new StepFigures(List.of(), List.of(), List.of());
    }
}
