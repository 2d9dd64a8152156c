package dev.kvbook.cli;

import dev.kvbook.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv map}: a store as a map of text, with expiry and metadata as flags; time from a manual clock. */
class MapCommandTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private Kv.Result kv(String... args) {
        return Kv.runAt(clock, args);
    }

    @Test
    void putGetDelWithExpiryAfterThirtyDays() {
        String p = dir.resolve("sessions").toString();
        assertThat(kv("map", "put", "--store", "step3", "--path", p, "--expire-after", "30d", "alice", "token-1").out())
                .isEqualTo("ok\n");
        assertThat(kv("map", "put", "--path", p, "--expire-after", "30d", "bob", "token-2").out()).isEqualTo("ok\n");
        assertThat(kv("map", "get", "--path", p, "--expire-after", "30d", "alice").out()).isEqualTo("token-1\n");
        clock.advance(Duration.ofDays(30));
        Kv.Result expired = kv("map", "get", "--path", p, "--expire-after", "30d", "alice");
        assertThat(expired.exitCode()).as(expired.toString()).isEqualTo(Errors.FINDINGS);
        assertThat(expired.err()).isEqualTo("kv map get: no live entry under alice\n");
        assertThat(kv("map", "put", "--path", p, "--expire-after", "30d", "carol", "token-3").exitCode()).isZero();
        assertThat(kv("map", "list", "--path", p, "--expire-after", "30d").out())
                .isEqualTo("carol = token-3\n(1 live entry)\n");
        assertThat(kv("map", "del", "--path", p, "--expire-after", "30d", "carol").out()).isEqualTo("deleted\n");
        assertThat(kv("map", "del", "--path", p, "--expire-after", "30d", "carol").out()).isEqualTo("(not found)\n");
    }

    @Test
    void openingAMapWithOtherFlagsIsRefusedNamingTheOnesItWasMadeWith() {
        String p = dir.resolve("m").toString();
        kv("map", "put", "--store", "step1", "--path", p, "--expire-after", "12h", "--expire-from", "access", "k", "v");
        Kv.Result bare = kv("map", "get", "--path", p, "k");
        assertThat(bare.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(bare.err()).startsWith("kv map get: this map was created with expire 12h after last access")
                .contains("cannot be opened with every feature off");
        assertThat(kv("map", "get", "--path", p, "--expire-after", "12h", "k").err())
                .contains("cannot be opened with expire 12h after creation");
        assertThat(kv("map", "get", "--path", p, "--expire-after", "PT12H", "--expire-from", "access", "k").out())
                .isEqualTo("v\n");
    }

    @Test
    void metaPrintsCreationAndLastAccess() {
        String p = dir.resolve("m").toString();
        kv("map", "put", "--store", "step5", "--path", p, "--metadata", "k", "v");
        clock.advance(Duration.ofMinutes(5));
        kv("map", "get", "--path", p, "--metadata", "k");
        assertThat(kv("map", "meta", "--path", p, "--metadata", "k").out())
                .isEqualTo("created      2026-01-01T00:00:00Z\nlast access  2026-01-01T00:05:00Z\n");
        Kv.Result absent = kv("map", "meta", "--path", p, "--metadata", "nobody");
        assertThat(absent.exitCode()).isEqualTo(Errors.FINDINGS);
    }

    @Test
    void sweepCountsWhatItRemoved() {
        String p = dir.resolve("m").toString();
        for (String key : new String[]{"a", "b", "c"}) {
            kv("map", "put", "--store", "step2", "--path", p, "--expire-after", "1h", key, "v");
        }
        clock.advance(Duration.ofHours(1));
        kv("map", "put", "--path", p, "--expire-after", "1h", "d", "v"); // opening sweeps a, b and c
        assertThat(kv("map", "sweep", "--path", p, "--expire-after", "1h").out()).isEqualTo("removed 0 expired entries\n");
        clock.advance(Duration.ofHours(1));
        assertThat(kv("map", "sweep", "--path", p, "--expire-after", "1h").out()).isEqualTo("removed 1 expired entry\n");
    }

    @Test
    void aBadSpanIsBadInputAndCreatesNothing() {
        Path p = dir.resolve("never");
        Kv.Result bad = kv("map", "put", "--store", "step1", "--path", p.toString(), "--expire-after", "soon", "k", "v");
        assertThat(bad.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(bad.err()).contains("'soon' is not a span such as 30d");
        assertThat(p).doesNotExist();
    }

    @Test
    void helpFitsInAHundredColumns() {
        for (String verb : new String[]{"put", "get", "del", "list", "meta", "sweep"}) {
            assertThat(kv("map", verb, "--help").out().lines())
                    .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
        }
        assertThat(kv("map", "--help").out().lines())
                .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
    }
}
