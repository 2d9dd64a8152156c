package dev.kvbook.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers as people read them: units chosen by the printed value, and plurals that agree. */
class UnitsTest {

    @Test
    void aDurationJustUnderAUnitIsPrintedInTheNextUnit() {
        assertThat(Units.duration(999_500_000L)).isEqualTo("1.0 s");
        assertThat(Units.duration(999_400_000L)).isEqualTo("999 ms");
        assertThat(Units.duration(9_960_000L)).isEqualTo("10 ms");
        assertThat(Units.duration(9_940_000L)).isEqualTo("9.9 ms");
        assertThat(Units.duration(99_960_000_000L)).isEqualTo("1 min 40 s");
    }

    @Test
    void aCountOfOneTakesTheSingular() {
        assertThat(Units.count(1, "write")).isEqualTo("1 write");
        assertThat(Units.count(0, "write")).isEqualTo("0 writes");
        assertThat(Units.count(10_000, "key")).isEqualTo("10,000 keys");
    }
}
