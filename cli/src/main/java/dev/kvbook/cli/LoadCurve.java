package dev.kvbook.cli;

import java.util.Arrays;

/**
 * How the tour's load went as the store grew: the elapsed time and bytes written after every
 * {@code stride} puts. From it the tour tells whether puts got slower as the store grew (step 1:
 * each put rewrites a bigger file), what the last puts wrote, and how long all the keys asked
 * for would have taken when the load ran out of time.
 */
final class LoadCurve {

    private final long stride;
    private long[] puts = new long[64];
    private long[] nanos = new long[64];
    private long[] written = new long[64];
    private int size;

    /** A curve sampled every {@code stride} puts (and at the end). */
    LoadCurve(long stride) {
        this.stride = stride;
    }

    /** Whether the sample after {@code done} puts is due. */
    boolean due(long done) {
        return done % stride == 0;
    }

    /** Records that {@code done} puts took {@code elapsed} nanoseconds and wrote {@code bytes}. */
    void record(long done, long elapsed, long bytes) {
        if (size > 0 && puts[size - 1] == done) {
            return; // the closing sample of a phase whose last put was sampled already
        }
        if (size == puts.length) {
            puts = Arrays.copyOf(puts, size * 2);
            nanos = Arrays.copyOf(nanos, size * 2);
            written = Arrays.copyOf(written, size * 2);
        }
        puts[size] = done;
        nanos[size] = elapsed;
        written[size] = bytes;
        size++;
    }

    /**
     * Nanoseconds per put early in the load, over the stretch from an eighth to a quarter of it
     * (the very first puts also pay for the JVM warming up, so they would mislead).
     */
    double earlyNanosPerPut() {
        return stretch(nanos, 1.0 / 8, 1.0 / 4);
    }

    /** Nanoseconds per put over the last eighth of the load: what a put cost at the end. */
    double lateNanosPerPut() {
        return stretch(nanos, 7.0 / 8, 1);
    }

    /** Bytes written per put over the last eighth of the load: what one put wrote when the store was full. */
    double lateBytesPerPut() {
        return stretch(written, 7.0 / 8, 1);
    }

    /**
     * The growth of {@code values} per put between the samples nearest to the fractions
     * {@code from} and {@code to} of the load; the average over the whole load when there are
     * too few samples to tell stretches apart.
     */
    private double stretch(long[] values, double from, double to) {
        if (size == 0 || puts[size - 1] == 0) {
            return 0;
        }
        int start = nearest(from * puts[size - 1]);
        int end = nearest(to * puts[size - 1]);
        if (start >= end) {
            return (double) values[size - 1] / puts[size - 1];
        }
        return (double) (values[end] - values[start]) / (puts[end] - puts[start]);
    }

    /** The index of the sample whose put count is nearest to {@code count}. */
    private int nearest(double count) {
        int best = 0;
        for (int i = 1; i < size; i++) {
            if (Math.abs(puts[i] - count) < Math.abs(puts[best] - count)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Estimates how long loading {@code target} keys would take in all. Model: a put into a store
     * of x keys costs {@code a + 2b·x}, where {@code a} is what every put pays (an fsync) and
     * {@code 2b·x} what grows with the store (rewriting the whole file); so loading n keys takes
     * {@code a·n + b·n²}. The two costs come from the early and late put costs; the estimate is
     * the time the load really took plus the model's time for the keys it did not get to. Rough,
     * but of the right order, which is all a learner needs to see why the tour stopped early.
     */
    long estimateNanos(long target) {
        if (size == 0 || puts[size - 1] == 0) {
            return 0;
        }
        double n = puts[size - 1];
        double early = earlyNanosPerPut();
        double late = lateNanosPerPut();
        double earlyAt = (puts[nearest(n / 8)] + puts[nearest(n / 4)]) / 2.0;
        double lateAt = (puts[nearest(7 * n / 8)] + n) / 2.0;
        double b = lateAt > earlyAt ? Math.max(0, (late - early) / (2 * (lateAt - earlyAt))) : 0;
        double a = Math.max(0, late - 2 * b * lateAt);
        double remaining = a * (target - n) + b * ((double) target * target - n * n);
        return Math.round(nanos[size - 1] + Math.max(0, remaining));
    }
}
