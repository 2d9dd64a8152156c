package dev.kvbook.hashindex;

import dev.kvbook.api.StoreFailedException;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs a merge of one {@link HashIndexStore}, taking the store's locks ({@link StoreGuard}) around
 * the four steps of {@link Merge}'s crash-safe protocol:
 * <ol>
 *   <li>{@link #planMerge} under the write lock: seal the active segment and reserve output numbers;</li>
 *   <li>{@link Merge#copyLive} under no lock but the merge lock: gets and puts go on;</li>
 *   <li>{@link Merge#switchOver} under the write lock and the switch lock's write side;</li>
 *   <li>{@link Merge#deleteInputs}, again under the merge lock only.</li>
 * </ol>
 * It also owns the store's {@link BackgroundMerge}, whose thread runs {@link #mergeInBackground}.
 * A failure in any step fails the store (see {@link StoreGuard}).
 */
final class MergeRunner {

    private final HashIndexStore.Options options;
    private final Path dir;
    private final Keydir keydir;
    private final Segments segments;
    private final ActiveSegment active;
    private final StoreGuard guard;
    private final BackgroundMerge background;
    private long merges; // written under the switch lock's write side, read under its read side

    /**
     * @param mergeRunner where background merges run; {@code null}: a thread of their own
     */
    MergeRunner(HashIndexStore.Options options, Path dir, Keydir keydir, Segments segments, ActiveSegment active,
                StoreGuard guard, Executor mergeRunner) {
        this.options = options;
        this.dir = dir;
        this.keydir = keydir;
        this.segments = segments;
        this.active = active;
        this.guard = guard;
        // No write, so no background merge, can reach the task before the store's constructor returns.
        this.background = new BackgroundMerge(options, dir.toString(), segments, this::mergeInBackground,
                mergeRunner, e -> guard.markFailed("a merge in the background", e));
    }

    /** The background merger: the store tells it of each write and shuts it down on close. */
    BackgroundMerge background() {
        return background;
    }

    /** The number of merges that have switched over, explicit or in the background. */
    long merges() {
        return merges;
    }

    /** The body of {@link HashIndexStore#merge()}: the four steps, one merge at a time. */
    void merge() {
        guard.merging(() -> {
            Merge.Plan plan = guard.writing(this::planMerge);
            if (plan == null) {
                return;
            }
            Merge.Output output = guard.failing("copying the live records of a merge", () -> Merge.copyLive(options.vfs(),
                    dir, keydir, plan, options.segmentSize(), options.useHintFiles()));
            guard.writing(() -> {
                guard.switching(() -> {
                    Merge.switchOver(keydir, segments, plan, output);
                    merges++;
                });
                return null;
            });
            guard.failing("deleting the merged segments", () -> {
                Merge.deleteInputs(options.vfs(), dir, plan);
                return null;
            });
        });
    }

    /** Merge step 1 (under the write lock): seal the active segment and reserve output numbers. */
    private Merge.Plan planMerge() {
        // BUILD:BEGIN step3.build-hints-merge — Plan a merge: whether one is worth running now, which segments are its inputs, which numbers its outputs take
        List<Segment> sealed = segments.sealed();
        if (sealed.isEmpty() && active.isEmpty()) {
            return null; // nothing at all to merge
        }
        int inputs = sealed.size() + 1;
        int firstOutput = active.nextId();
        guard.failing("rolling over for a merge", () -> {
            active.rollOver(inputs);
            return null;
        });
        List<Segment> plan = segments.sealed();
        // Invariant: the inputs are every segment but the new active one, oldest included, so no
        // older segment outlives the merge and every tombstone can be dropped (Merge's "Tombstones").
        assert segments.all().stream().noneMatch(s -> s.id() < plan.get(0).id()) : "an older segment outlives the merge";
        return new Merge.Plan(plan, firstOutput, firstOutput + inputs - 1);
        // BUILD:END
    }

    /**
     * The background thread's task: the same {@link #merge()} a caller runs, if it is still worth
     * it once this thread holds the merge lock (an explicit merge may just have run), and the store
     * is open and has not failed. An exception is recorded as the store's failure, so the next
     * write throws {@link StoreFailedException} with it as the cause; an {@link Error} is not
     * caught: it ends the thread, whose handler records it the same way.
     */
    private void mergeInBackground() {
        guard.merging(() -> {
            try {
                // Invariant: close sets closed under the merge lock, so no merge starts after close.
                if (guard.isClosed() || guard.hasFailed() || !background.isWorthMerging()) {
                    return;
                }
                long before = merges;
                merge();
                if (merges > before) {
                    background.merged();
                }
            } catch (RuntimeException e) {
                guard.markFailed("a merge in the background", e);
            }
        });
    }
}
