package dev.kvbook.testkit;

import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of a {@link TransactionalStore}, on top of {@link OrderedKeyValueStoreContract}:
 * atomic commit, rollback, isolation of readers from an open writer, and writers queueing.
 */
public abstract class TransactionalStoreContract extends OrderedKeyValueStoreContract {

    private TransactionalStore tx() {
        return (TransactionalStore) store;
    }

    @Test
    void commitMakesEveryWriteVisibleAtOnce() {
        try (Transaction t = tx().begin()) {
            t.put(utf8("a"), utf8("1"));
            t.put(utf8("b"), utf8("2"));
            t.commit();
        }
        assertThat(store.get(utf8("a"))).isEqualTo(utf8("1"));
        assertThat(store.get(utf8("b"))).isEqualTo(utf8("2"));
    }

    @Test
    void rollbackForgetsEveryWrite() {
        store.put(utf8("a"), utf8("before"));
        try (Transaction t = tx().begin()) {
            t.put(utf8("a"), utf8("during"));
            t.delete(utf8("a"));
            t.put(utf8("b"), utf8("2"));
            t.rollback();
        }
        assertThat(store.get(utf8("a"))).isEqualTo(utf8("before"));
        assertThat(store.get(utf8("b"))).isNull();
    }

    @Test
    void closingWithoutCommitRollsBack() {
        try (Transaction t = tx().begin()) {
            t.put(utf8("a"), utf8("1"));
        }
        assertThat(store.get(utf8("a"))).isNull();
    }

    @Test
    void aTransactionSeesItsOwnWrites() {
        store.put(utf8("a"), utf8("old"));
        try (Transaction t = tx().begin()) {
            t.put(utf8("a"), utf8("new"));
            t.put(utf8("b"), utf8("2"));
            assertThat(t.get(utf8("a"))).isEqualTo(utf8("new"));
            assertThat(t.delete(utf8("b"))).isTrue();
            assertThat(t.get(utf8("b"))).isNull();
            assertThat(t.scan(null, null).toList()).hasSize(1);
            t.commit();
        }
    }

    @Test
    void readersDoNotSeeAnUncommittedTransaction() {
        store.put(utf8("a"), utf8("committed"));
        try (Transaction t = tx().begin()) {
            t.put(utf8("a"), utf8("uncommitted"));
            t.put(utf8("new"), utf8("x"));
            assertThat(store.get(utf8("a"))).isEqualTo(utf8("committed"));
            assertThat(store.get(utf8("new"))).isNull();
            assertThat(store.size()).isEqualTo(1);
            t.commit();
        }
        assertThat(store.get(utf8("a"))).isEqualTo(utf8("uncommitted"));
    }

    @Test
    void inTransactionCommitsOnReturnAndRollsBackOnException() {
        String result = tx().inTransaction(t -> {
            t.put(utf8("a"), utf8("1"));
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThatThrownBy(() -> tx().inTransaction(t -> {
            t.put(utf8("b"), utf8("2"));
            throw new IllegalStateException("changed my mind");
        })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");
        assertThat(store.get(utf8("a"))).isEqualTo(utf8("1"));
        assertThat(store.get(utf8("b"))).isNull();
    }

    @Test
    void aFinishedTransactionRefusesFurtherUse() {
        Transaction t = tx().begin();
        t.put(utf8("a"), utf8("1"));
        t.commit();
        assertThatThrownBy(() -> t.put(utf8("b"), utf8("2"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(t::commit).isInstanceOf(IllegalStateException.class);
        t.close();
    }

    @Test
    void committedTransactionsSurviveReopen() {
        tx().inTransaction(t -> {
            t.put(utf8("a"), utf8("1"));
            t.put(utf8("b"), utf8("2"));
            return null;
        });
        reopen();
        assertThat(store.get(utf8("a"))).isEqualTo(utf8("1"));
        assertThat(store.get(utf8("b"))).isEqualTo(utf8("2"));
    }

    @Test
    void aSecondWriterWaitsForTheFirst() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Transaction first = tx().begin();
            first.put(utf8("k"), utf8("first"));
            CountDownLatch trying = new CountDownLatch(1);
            AtomicBoolean secondBegan = new AtomicBoolean();
            Future<?> second = pool.submit(() -> {
                trying.countDown();
                try (Transaction t = tx().begin()) {
                    secondBegan.set(true);
                    t.put(utf8("k"), utf8(new String(t.get(utf8("k"))) + "+second"));
                    t.commit();
                }
            });
            trying.await();
            // The second writer cannot have begun while the first is open; it runs after commit.
            assertThat(secondBegan).isFalse();
            first.commit();
            first.close();
            second.get(1, TimeUnit.MINUTES);
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("first+second"));
        } finally {
            pool.shutdownNow();
        }
    }
}
