package dev.kvbook.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background thread of a {@link PersistentMap} opened with {@link MapOptions#sweepEvery}:
 * every period it runs the map's sweep and writes its batched access times.
 *
 * <p>A failure stops it. A sweep that throws (the store failed, a damaged envelope) has removed
 * nothing it should not have, because each removal is one store write of an entry checked again
 * under the lock; trying again every period would only repeat the error in the log. So the first
 * failure is kept ({@link #failure()}, shown in {@link MapStats#backgroundFailure()}), logged
 * once as a warning, and the schedule ends; {@link PersistentMap#sweep()} still works on demand
 * and throws the error to its caller.
 *
 * <p>The thread is a daemon, so a map someone forgot to close does not keep the JVM alive.
 */
final class SweepSchedule {

    private static final System.Logger LOG = System.getLogger(PersistentMap.class.getName());

    /** How long {@link #stop} waits for a sweep in progress: it stops between batches, so briefly. */
    private static final Duration STOP_WAIT = Duration.ofMinutes(1);

    private final ScheduledExecutorService executor;
    private final Runnable work;
    private final String name;
    private volatile String failure;

    /** Runs {@code work} every {@code period}, first one period from now, in a thread named after {@code name}. */
    SweepSchedule(Duration period, Runnable work, String name) {
        this.work = work;
        this.name = name;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kvbook-map-sweep " + name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            work.run();
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.log(System.Logger.Level.WARNING, "the background sweep of the map " + name
                    + " failed and will not run again; the data is as it was. sweep() runs one on demand", e);
            throw e; // a scheduled task that throws is not run again: that is the stop
        }
    }

    /** Why the schedule stopped, or {@code null} while it has not failed. */
    String failure() {
        return failure;
    }

    /** Stops the schedule and waits for a sweep in progress to return (the map tells it to stop early). */
    void stop() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the background sweep of the map " + name + " did not stop within "
                        + STOP_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the background sweep of " + name, e);
        }
    }
}
