package dev.kvbook.lsm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group commit: writers that queue while a leader works go out together in the next batch. */
class WriteQueueTest {

    @Test
    void writersThatQueueDuringABatchShareTheNextOne() throws Exception {
        WriteQueue queue = new WriteQueue();
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchSizes = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        java.util.function.Consumer<List<WriteQueue.Write>> apply = batch -> {
            synchronized (batchSizes) {
                batchSizes.add(batch.size());
            }
            if (calls.getAndIncrement() == 0) {
                leaderInside.countDown();
                await(release); // the first leader's "fsync" lasts until the others have queued
            }
        };
        Thread first = new Thread(() -> queue.submit(new WriteQueue.Write(utf8("k0"), utf8("v")), apply));
        first.start();
        leaderInside.await();
        List<Thread> others = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            byte[] key = utf8("k" + i);
            Thread t = new Thread(() -> queue.submit(new WriteQueue.Write(key, utf8("v")), apply));
            t.start();
            others.add(t);
        }
        while (queue.waiting() < 8) {
            Thread.onSpinWait();
        }
        release.countDown();
        first.join();
        for (Thread t : others) {
            t.join();
        }
        assertThat(batchSizes).containsExactly(1, 7);
        assertThat(queue.batches()).isEqualTo(2);
        assertThat(queue.writes()).isEqualTo(8);
    }

    @Test
    void aFailedBatchFailsItsLeader() {
        WriteQueue queue = new WriteQueue();
        assertThatThrownBy(() -> queue.submit(new WriteQueue.Write(utf8("k"), null), batch -> {
            throw new IllegalStateException("disk gone");
        })).hasMessageContaining("disk gone");
        queue.submit(new WriteQueue.Write(utf8("k"), utf8("v")), batch -> { });
        assertThat(queue.batches()).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
