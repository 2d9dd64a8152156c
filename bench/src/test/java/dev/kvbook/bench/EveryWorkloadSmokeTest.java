package dev.kvbook.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every workload once, at a tiny size, on every contender (each step on the class path, each
 * peer, each limit, each step through {@code PersistentMap}), calling the very state and benchmark methods JMH calls, and checks the answers:
 * right values, full scans, no lost commits. How fast is not checked here; that is the bench's job.
 */
class EveryWorkloadSmokeTest {

    @TempDir
    static Path home;

    @BeforeAll
    static void keepStoresInTheTempDir() {
        System.setProperty(BenchSettings.DIR, home.toString());
    }

    static Stream<String> contenders() {
        return Contenders.everything().stream().map(Contender::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contenders")
    void counterCountsEveryIncrementDurableAndRelaxed(String store) {
        for (Durability mode : Durability.values()) {
            CounterBenchmark.Counter counter = new CounterBenchmark.Counter();
            counter.store = store;
            counter.durability = mode.label();
            counter.open();
            try {
                for (int i = 0; i < 5; i++) {
                    new CounterBenchmark().increment(counter);
                }
                if (counter.contender.readable()) {
                    assertThat(BenchKeys.decodeCount(counter.engine.get(CounterBenchmark.KEY))).isEqualTo(5);
                }
                assertThat(counter.count).isEqualTo(5);
            } finally {
                counter.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contenders")
    void pointReadsAndScansReturnWhatWasLoaded(String store) {
        if (!Contenders.named(store).readable()) {
            return; // the raw append loop is a write floor; it has nothing to read
        }
        LoadedStore loaded = new LoadedStore();
        loaded.store = store;
        loaded.keys = 300;
        loaded.load();
        try {
            assertThat(loaded.loaded).isEqualTo(300);
            for (String distribution : List.of("uniform", "zipfian")) {
                PointReadBenchmark.Reader reader = new PointReadBenchmark.Reader();
                reader.distribution = distribution;
                reader.draw(loaded);
                for (int j = 0; j < 50; j++) {
                    int index = reader.order[j];
                    assertThat(new PointReadBenchmark().get(loaded, reader)).isEqualTo(BenchKeys.value(index, 0));
                }
            }
            if (Contenders.named(store).ordered()) {
                RangeScanBenchmark.Starts starts = new RangeScanBenchmark.Starts();
                starts.seed();
                for (int j = 0; j < 10; j++) {
                    assertThat(new RangeScanBenchmark().scan(loaded, starts)).isEqualTo(RangeScanBenchmark.LENGTH);
                }
            }
        } finally {
            loaded.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contenders")
    void durableCommitsFromOneAndEightThreadsAreAllThere(String store) throws InterruptedException {
        CommitBenchmark.Durable durable = new CommitBenchmark.Durable();
        durable.store = store;
        durable.open();
        try {
            List<CommitBenchmark.Writer> writers = new ArrayList<>();
            CommitBenchmark.Writer alone = writer(durable, writers);
            for (int i = 0; i < 3; i++) {
                new CommitBenchmark().oneThread(durable, alone);
            }
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                CommitBenchmark.Writer writer = writer(durable, writers);
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 3; i++) {
                        new CommitBenchmark().eightThreads(durable, writer);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (Contenders.named(store).readable()) {
                for (CommitBenchmark.Writer writer : writers) {
                    for (long i = writer.first; i < writer.next; i++) {
                        assertThat(durable.engine.get(BenchKeys.key(i))).isEqualTo(BenchKeys.value(i, 0));
                    }
                }
            }
            assertThat(writers.stream().mapToLong(w -> w.next - w.first).sum()).isEqualTo(3 + 8 * 3);
        } finally {
            durable.close();
        }
    }

    private static CommitBenchmark.Writer writer(CommitBenchmark.Durable durable, List<CommitBenchmark.Writer> all) {
        CommitBenchmark.Writer writer = new CommitBenchmark.Writer();
        writer.pickRange(durable);
        all.add(writer);
        return writer;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contenders")
    void loadReopenAndFootprintAreMeasuredAndTheDataSurvives(String store) {
        Contender contender = Contenders.named(store);
        List<ScalingRow> rows = new ScalingRun(contender, home.resolve("scaling"), 30_000_000_000L)
                .run(new long[] {50, 200});
        assertThat(rows).hasSize(2);
        for (ScalingRow row : rows) {
            assertThat(row.keysLoaded()).isEqualTo(row.keysAsked());
            assertThat(row.wrongAnswers()).isZero();
            if (contender.persistent()) {
                assertThat(row.bytesOnDisk()).isPositive();
                assertThat(row.reopenNanos()).isPositive();
            }
        }
    }
}
