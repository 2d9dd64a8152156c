package dev.kvbook.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that moves only when a test moves it, so that expiry (a
 * {@link dev.kvbook.api.PersistentMap} with {@link dev.kvbook.api.MapOptions#withClock}) is tested
 * without sleeping and without timing assertions. Safe to read from many threads while one moves it.
 */
public final class ManualClock extends Clock {

    private volatile long millis;

    /** A clock showing {@code start}. */
    public ManualClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    /** Moves the clock {@code by} forward. */
    public synchronized void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a manual clock only moves forward, not by " + by);
        }
        millis += by.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Not supported: a manual clock is always UTC (a map only reads its milliseconds). */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a manual clock is always UTC");
    }
}
