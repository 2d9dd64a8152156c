package dev.kvbook.testkit.concurrency;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.testkit.Op;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One round of a {@link ConcurrencyDriver}: a fresh store, the workers released at once, the
 * maintenance loop beside them, and the watchdog.
 *
 * <p>The watchdog is a bounded wait, never a timing assertion: the round waits up to
 * {@code hangAfter} (60 s by default, hundreds of times what a round needs) for the workers,
 * then for the maintenance thread, then for {@code close}. Whatever is still running then is a
 * hang: the outcome carries every thread's stack, the stuck threads are interrupted and left
 * behind (they are daemon threads, so they cannot keep the JVM alive), and the store is
 * abandoned rather than closed, since closing a hung store would hang the test instead.
 */
final class Round {

    /** Names of the round's threads, so that a dump lists them first. */
    static final String THREAD_PREFIX = "kvbook-concurrency-";

    /** How long the maintenance loop parks while waiting for the workers to make progress. */
    private static final long PAUSE_NANOS = 50_000;

    /** Makes a round's worker {@code thread} over {@code store}, stamping from {@code clock}. */
    @FunctionalInterface
    interface Workers {
        Worker create(KeyValueStore store, int thread, AtomicLong clock);
    }

    /**
     * What a round produced: the history (complete unless it failed), how many maintenance
     * operations ran, and, when it failed, how ({@code null}: it did not) with the details.
     */
    record Outcome(List<Call> history, long maintenanceRuns, ConcurrencyReport.Kind failure, String details) {
    }

    private final int threads;
    private final int callsPerThread;
    private final List<Op> maintenance;
    private final Duration hangAfter;
    private final Workers workers;
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicLong maintenanceRuns = new AtomicLong();
    private final List<Thread> started = new ArrayList<>();

    Round(int threads, int callsPerThread, List<Op> maintenance, Duration hangAfter, Workers workers) {
        this.threads = threads;
        this.callsPerThread = callsPerThread;
        this.maintenance = maintenance;
        this.hangAfter = hangAfter;
        this.workers = workers;
    }

    /** Opens the store, runs the workers and the maintenance loop, waits for them, closes the store. */
    Outcome run(Supplier<KeyValueStore> open) {
        KeyValueStore store = open.get();
        AtomicLong clock = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Worker> team = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Worker worker = workers.create(store, t, clock);
            team.add(worker);
            start("worker-" + t, go, () -> {
                try {
                    worker.run(callsPerThread);
                } catch (Throwable e) {
                    errors.add(worker.inFlight() + " threw " + stackOf(e));
                } finally {
                    done.countDown();
                }
            });
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread looping = maintenance.isEmpty() ? null : start("maintenance", go, () -> maintain(store, clock, stop));
        go.countDown();
        if (!await(done)) {
            return hung("the workers did not finish", team);
        }
        stop.set(true);
        if (looping != null && !join(looping)) {
            return hung("the maintenance thread did not stop", team);
        }
        if (!closeWithin(store)) {
            return hung("close() did not return", team);
        }
        List<Call> history = new ArrayList<>();
        team.forEach(w -> history.addAll(w.completed()));
        return errors.isEmpty() ? new Outcome(history, maintenanceRuns.get(), null, "")
                : new Outcome(history, maintenanceRuns.get(), ConcurrencyReport.Kind.ERROR, String.join("\n", errors));
    }

    /**
     * The maintenance loop: each operation in turn, until the workers are done. After each one it
     * waits until the workers have moved the clock on, so that maintenance interleaves with calls
     * instead of spinning a core on a no-op (a {@code sync()} with nothing to sync) that the
     * workers need more.
     */
    private void maintain(KeyValueStore store, AtomicLong clock, AtomicBoolean stop) {
        for (int i = 0; !stop.get(); i++) {
            Op op = maintenance.get(i % maintenance.size());
            long before = clock.get();
            try {
                op.applyTo(store);
                maintenanceRuns.incrementAndGet();
            } catch (Throwable e) {
                errors.add("maintenance " + op + " threw " + stackOf(e));
                return;
            }
            while (clock.get() == before && !stop.get()) {
                LockSupport.parkNanos(PAUSE_NANOS);
            }
        }
    }

    /** Starts a daemon thread that waits for {@code go}, then runs {@code body}. */
    private Thread start(String name, CountDownLatch go, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            body.run();
        }, THREAD_PREFIX + name);
        thread.setDaemon(true);
        started.add(thread);
        thread.start();
        return thread;
    }

    private boolean await(CountDownLatch latch) {
        try {
            return latch.await(hangAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        }
    }

    private boolean join(Thread thread) {
        try {
            thread.join(hangAfter.toMillis());
            return !thread.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
        }
    }

    /** Closes the store in a thread of its own, so that a close that hangs is reported, not waited for. */
    private boolean closeWithin(KeyValueStore store) {
        CountDownLatch closed = new CountDownLatch(1);
        start("close", new CountDownLatch(0), () -> {
            try {
                store.close();
            } catch (Throwable e) {
                errors.add("close() threw " + stackOf(e));
            } finally {
                closed.countDown();
            }
        });
        return await(closed);
    }

    /** A hang: every thread's stack, what each worker was doing; the round's threads are interrupted and left behind. */
    private Outcome hung(String what, List<Worker> team) {
        StringBuilder details = new StringBuilder(what + " within " + hangAfter.toSeconds() + " s.\nIn flight:\n");
        team.forEach(w -> details.append("  ").append(w.inFlight()).append('\n'));
        errors.forEach(e -> details.append("Also: ").append(e).append('\n'));
        details.append("Every thread's stack:\n").append(ThreadDump.all(THREAD_PREFIX));
        started.forEach(Thread::interrupt);
        return new Outcome(List.of(), maintenanceRuns.get(), ConcurrencyReport.Kind.HUNG, details.toString());
    }

    private static String stackOf(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
