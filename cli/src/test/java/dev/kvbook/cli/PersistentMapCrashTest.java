package dev.kvbook.cli;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.testkit.ManualClock;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash at every I/O call of a {@link PersistentMap} workload that writes access times in
 * batches and sweeps expired entries: after each crash the map, reopened, has lost no live entry
 * and shows no expired or deleted one.
 *
 * <p>The workload ({@link #workload}) runs on {@link CrashSimVfs}, which loses power at the chosen
 * mutating call and keeps only what the store had made durable. Every step's default makes each
 * write durable on return, so the promise can be stated per key, at the clock's time when the
 * power went (the clock stands still from then on):
 * <ul>
 *   <li><b>no live entry lost</b>: a key whose put returned, with no remove begun, and younger
 *       than the expiry span counted from its put or from a read whose time was written (the
 *       batch, or the {@code sync()}, that wrote it returned), is there with its value;</li>
 *   <li><b>nothing resurrected</b>: a key removed, never put, or older than the span even counted
 *       from its latest read (any read begun, written or not), is not there;</li>
 *   <li>between the two (alive only thanks to a read whose time was not yet written, which a
 *       crash may lose, or touched by the call the power cut), either is right, but a value shown
 *       is the one put.</li>
 * </ul>
 * Then the store's own checker finds nothing, and the map takes a write and keeps it across a
 * clean reopen. Step 4 is left out: by design it refuses to open after a crash (it has no log
 * to recover with), which its own crash tests check.
 */
class PersistentMapCrashTest {

    private static final Path FILE = Path.of("/crash/map");
    private static final Duration TTL = Duration.ofSeconds(100);
    private static final Instant START = Instant.parse("2026-01-01T00:16:40Z");
    /** Two keys over the store's limit that share a 1-byte digest: one bucket, rewritten by the first sweep. */
    private static final List<String> BUCKET = LongKeys.colliding(2);
    private static final String H = BUCKET.get(0);
    private static final String I = BUCKET.get(1);
    private static final List<String> KEYS = List.of("a", "b", "c", "d", "e", "f", "g", H, I);

    private static MapOptions options(ManualClock clock) {
        return MapOptions.defaults().withExpireAfterAccess(TTL).withMetadata(true).withAccessBatch(3)
                .withLongKeys(true).withDigestLength(1).withClock(clock);
    }

    /** What the workload did to one key, as far as the crash let it. Each key is put at most once. */
    private static final class KeyHistory {
        String value;                     // the value put
        long putAt = -1;                  // when its put began (the clock stands still during a call); -1: never
        boolean putReturned;
        boolean removeBegun;
        boolean removeReturned;
        long latestRead = Long.MIN_VALUE; // when the latest read that could see it began
        long readWritten = Long.MIN_VALUE; // the latest read time known to be written: its batch returned
    }

    /** The workload, with what it has begun and finished noted in {@code history} as it goes. */
    private static void workload(PersistentMap<String, String> map, ManualClock clock, Map<String, KeyHistory> history) {
        for (String key : List.of("a", "b", "c", "d", "e", "f", H, I)) {
            put(map, clock, history, key);
        }
        clock.advance(Duration.ofSeconds(50));
        read(map, clock, history, "a");
        read(map, clock, history, "b");
        read(map, clock, history, H);     // the third read fills a batch: a's, b's and H's times are written
        written(history, "a", "b", H);
        read(map, clock, history, "c");   // noted only
        history.get("d").removeBegun = true;
        map.remove("d");
        history.get("d").removeReturned = true;
        clock.advance(Duration.ofSeconds(60)); // e, f and I (never read) expire; c lives on its noted read
        map.sync();                        // writes c's time
        written(history, "c");
        put(map, clock, history, "g");
        map.sweep();                       // removes e and f, and rewrites the bucket without I
        clock.advance(Duration.ofSeconds(45)); // a, b, c and H expire; g lives
        read(map, clock, history, "g");
        map.sweep();                       // removes a, b, c and the bucket
        map.close();                       // writes g's time
    }

    private static void put(PersistentMap<String, String> map, ManualClock clock, Map<String, KeyHistory> history,
                            String key) {
        KeyHistory h = history.get(key);
        h.value = LongKeys.shown(key) + "-value";
        h.putAt = clock.millis();
        map.put(key, h.value);
        h.putReturned = true;
    }

    private static void read(PersistentMap<String, String> map, ManualClock clock, Map<String, KeyHistory> history,
                             String key) {
        history.get(key).latestRead = clock.millis();
        assertThat(map.get(key)).as("the workload's own read of " + key).isEqualTo(history.get(key).value);
    }

    /** Notes that the read times of {@code keys} are written: the call that wrote them has returned. */
    private static void written(Map<String, KeyHistory> history, String... keys) {
        for (String key : keys) {
            history.get(key).readWritten = history.get(key).latestRead;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"step1", "step2", "step3", "step5"})
    void aCrashInASweepOrAnAccessTimeWriteLosesNoLiveEntryAndResurrectsNone(String store) {
        StoreProvider provider = Stores.provider(store);
        long points = mutationsOfACleanRun(provider);
        assertThat(points).as("the workload makes I/O calls to crash at").isGreaterThan(20);
        List<String> failures = new ArrayList<>();
        for (long point = 1; point <= points; point++) {
            String failure = crashAt(provider, point);
            if (failure != null) {
                failures.add("crash at I/O call " + point + " of " + points + ": " + failure);
            }
        }
        assertThat(failures).as(store).isEmpty();
    }

    /** Runs the workload without a crash and counts its mutating I/O calls (opening the store included). */
    private static long mutationsOfACleanRun(StoreProvider provider) {
        CrashSimVfs vfs = freshVfs();
        ManualClock clock = new ManualClock(START);
        Map<String, KeyHistory> history = freshHistory();
        KeyValueStore store = provider.open(FILE, vfs);
        workload(PersistentMap.over(store, Codecs.STRING, Codecs.STRING, options(clock)), clock, history);
        store.close();
        long total = vfs.mutations();
        String failure = check(provider, vfs, clock, history);
        assertThat(failure).as("without a crash").isNull();
        return total;
    }

    /** Crashes at mutating call {@code point}; returns what broke the promise, or {@code null}. */
    private static String crashAt(StoreProvider provider, long point) {
        CrashSimVfs vfs = freshVfs();
        vfs.crashAtOperation(point);
        ManualClock clock = new ManualClock(START);
        Map<String, KeyHistory> history = freshHistory();
        try {
            KeyValueStore store = provider.open(FILE, vfs);
            workload(PersistentMap.over(store, Codecs.STRING, Codecs.STRING, options(clock)), clock, history);
            store.close();
            return "the workload finished without reaching the crash point";
        } catch (SimulatedCrash expected) {
            vfs.crash(); // the map and its store are abandoned, as a dead process leaves them
        }
        return check(provider, vfs, clock, history);
    }

    /** Reopens the map at the clock's time and holds it to the promise in the class comment. */
    private static String check(StoreProvider provider, CrashSimVfs vfs, ManualClock clock,
                                Map<String, KeyHistory> history) {
        Map<String, String> seen = new TreeMap<>();
        try (KeyValueStore store = provider.open(FILE, vfs);
             PersistentMap<String, String> map = PersistentMap.over(store, Codecs.STRING, Codecs.STRING,
                     options(clock))) {
            map.forEach(seen::put);
            for (String key : KEYS) {
                String wrong = judge(key, history.get(key), seen.get(key), clock.millis());
                if (wrong != null) {
                    return wrong + "; the map shows " + seen;
                }
            }
            map.put("probe", "after the crash");
        } catch (RuntimeException e) {
            return "reopening after the crash threw " + e;
        }
        VerifyReport report = provider.verify(FILE, vfs);
        if (!report.isClean()) {
            return "the store's checker found: " + report;
        }
        try (KeyValueStore store = provider.open(FILE, vfs);
             PersistentMap<String, String> map = PersistentMap.over(store, Codecs.STRING, Codecs.STRING,
                     options(clock))) {
            return "after the crash".equals(map.get("probe")) ? null : "a write after recovery did not survive a reopen";
        }
    }

    /** The promise for one key: {@code null} when {@code shown} keeps it, else what is wrong. */
    private static String judge(String key, KeyHistory h, String shown, long now) {
        String name = LongKeys.shown(key);
        long ttl = TTL.toMillis();
        boolean mustBeThere = h.putReturned && !h.removeBegun && now - Math.max(h.putAt, h.readWritten) < ttl;
        boolean mayBeThere = h.putAt >= 0 && !h.removeReturned && now - Math.max(h.putAt, h.latestRead) < ttl;
        if (shown == null) {
            return mustBeThere ? name + " was lost: live until " + (Math.max(h.putAt, h.readWritten) + ttl)
                    + " ms, and the power went at " + now + " ms" : null;
        }
        if (!mayBeThere) {
            return name + " came back (" + (h.putAt < 0 ? "never put" : h.removeReturned ? "removed" : "expired")
                    + "), shown as " + shown;
        }
        return shown.equals(h.value) ? null : name + " shows " + shown + ", not the value put, " + h.value;
    }

    private static Map<String, KeyHistory> freshHistory() {
        Map<String, KeyHistory> history = new HashMap<>();
        KEYS.forEach(k -> history.put(k, new KeyHistory()));
        return history;
    }

    private static CrashSimVfs freshVfs() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(FILE.getParent());
        vfs.syncDirectory(FILE.getParent());
        vfs.resetCounters();
        return vfs;
    }
}
