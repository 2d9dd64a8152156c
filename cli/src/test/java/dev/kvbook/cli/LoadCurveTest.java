package dev.kvbook.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The tour's estimate of how long a load it cut short would have taken. */
class LoadCurveTest {

    /** A curve sampled from exactly {@code time(n) = a·n + b·n²}, as step 1's load roughly is. */
    private static LoadCurve quadratic(double a, double b, long upTo) {
        LoadCurve curve = new LoadCurve(10);
        for (long n = 10; n <= upTo; n += 10) {
            curve.record(n, Math.round(a * n + b * n * n), 100 * n * n);
        }
        return curve;
    }

    @Test
    void estimateOfAQuadraticLoadExtrapolatesTheQuadratic() {
        LoadCurve curve = quadratic(1_000_000, 500, 2_000);
        double truth = 1_000_000.0 * 10_000 + 500.0 * 10_000 * 10_000;
        assertThat((double) curve.estimateNanos(10_000)).isCloseTo(truth, within(truth * 0.05));
    }

    @Test
    void estimateOfALinearLoadIsAStraightLine() {
        LoadCurve curve = quadratic(200_000, 0, 1_000);
        assertThat((double) curve.estimateNanos(5_000)).isCloseTo(1e9, within(1e9 * 0.02));
    }

    @Test
    void lateCostsShowThatPutsGotSlowerAsTheStoreGrew() {
        LoadCurve curve = quadratic(1_000_000, 500, 2_000);
        assertThat(curve.lateNanosPerPut()).isGreaterThan(1.5 * curve.earlyNanosPerPut());
        assertThat(curve.lateBytesPerPut()).isGreaterThan(curve.earlyNanosPerPut() > 0 ? 300_000 : 0);
    }
}
