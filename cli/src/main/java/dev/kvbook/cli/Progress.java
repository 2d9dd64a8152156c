package dev.kvbook.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for the long phases (tour, load), drawn only when a person is watching a
 * terminal. Without one (pipes, CI, tests) nothing is drawn, so the output holds only results.
 * Bars go to stderr and are cleared when done, so stdout never mixes with them.
 */
final class Progress {

    /** One bar: step it once per operation, close it when the phase ends. */
    interface Bar extends AutoCloseable {
        /** Counts one more operation done. Cheap: the bar itself is updated at most every 50 ms. */
        void step();

        @Override
        void close();
    }

    private static final Bar NONE = new Bar() {
        @Override
        public void step() {
        }

        @Override
        public void close() {
        }
    };

    private static final long REDRAW_NANOS = 50_000_000;

    private final boolean draw;

    private Progress(boolean draw) {
        this.draw = draw;
    }

    /** Draws bars when {@code terminal}, otherwise nothing. */
    static Progress forTerminal(boolean terminal) {
        return new Progress(terminal);
    }

    /** A bar for {@code task} that will count up to {@code max}. */
    Bar bar(String task, long max) {
        if (!draw) {
            return NONE;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK).setUpdateIntervalMillis(100)
                .showSpeed().clearDisplayOnFinish().build();
        return new Bar() {
            private long done;
            private long shownAt = System.nanoTime();

            @Override
            public void step() {
                done++;
                long now = System.nanoTime();
                if (now - shownAt >= REDRAW_NANOS) {
                    // Updating the bar takes a lock and more; per operation it would slow the fast
                    // phases it measures (a get from memory takes microseconds).
                    bar.stepTo(done);
                    shownAt = now;
                }
            }

            @Override
            public void close() {
                bar.stepTo(done);
                bar.close();
            }
        };
    }
}
