package dev.kvbook.bench;

/**
 * What {@link ScalingRun} measured for one contender at one N: workloads 2 (load), 6 (reopen)
 * and 7 (bytes and heap).
 *
 * @param store           the contender's name
 * @param kind            step, peer or limit
 * @param keysAsked       N
 * @param keysLoaded      the keys loaded before the budget ran out (N when it did not)
 * @param loadNanos       the time to load them, including one sync at the end
 * @param bytesWritten    bytes the engine wrote while loading (-1 when unknown)
 * @param bytesSource     how bytesWritten was counted: {@code CountingVfs} or {@code /proc/self/io}
 * @param bytesOnDisk     the engine's files after the load
 * @param heapHeld        heap held by the open engine with the keys loaded (approximate)
 * @param reopenNanos     the time to close and open it again (-1 for the in-memory maps)
 * @param wrongAnswers    keys read back after the reopen that did not hold what was written
 */
public record ScalingRow(String store, String kind, long keysAsked, long keysLoaded, long loadNanos,
                         long bytesWritten, String bytesSource, long bytesOnDisk, long heapHeld,
                         long reopenNanos, long wrongAnswers) {

    /** Whether the load ran out of time before N keys. */
    public boolean stoppedEarly() {
        return keysLoaded < keysAsked;
    }

    /** Nanoseconds per put over the load. */
    public double nanosPerPut() {
        return keysLoaded == 0 ? Double.NaN : (double) loadNanos / keysLoaded;
    }

    /** Bytes written per byte the user asked to store: write amplification (NaN when unknown). */
    public double writeAmplification() {
        return bytesWritten < 0 || keysLoaded == 0 ? Double.NaN
                : (double) bytesWritten / (keysLoaded * (double) BenchKeys.USER_BYTES_PER_PUT);
    }

    /** Bytes on disk per key loaded. */
    public double diskBytesPerKey() {
        return keysLoaded == 0 ? Double.NaN : (double) bytesOnDisk / keysLoaded;
    }

    /** Heap bytes per key loaded. */
    public double heapBytesPerKey() {
        return keysLoaded == 0 ? Double.NaN : (double) heapHeld / keysLoaded;
    }
}
