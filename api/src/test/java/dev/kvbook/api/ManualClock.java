package dev.kvbook.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test moves it, so expiry is tested without sleeping: a copy of
 * the testkit's {@code ManualClock}, which the api module's tests cannot reach (the testkit depends
 * on api).
 */
final class ManualClock extends Clock {

    private volatile long millis;

    ManualClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    /** Moves the clock {@code by} forward. */
    void advance(Duration by) {
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

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a manual clock is always UTC");
    }
}
