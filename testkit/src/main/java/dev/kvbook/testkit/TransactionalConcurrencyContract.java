package dev.kvbook.testkit;

import dev.kvbook.api.TransactionalStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The concurrency category for a {@link TransactionalStore}, on top of {@link ConcurrencyContract}:
 * besides plain calls, six calls in ten are small transactions over two or three of the three
 * keys (through {@code inTransaction} or {@code begin}/{@code commit}; some read-only, some that
 * change nothing, such as a delete of an absent key). A transaction is one call whose reads and
 * writes must all take effect at a single instant, so the three keys are one state and the
 * whole history is checked as one: a reader that sees part of a transaction, or a transaction
 * that reads a state no linearization reaches, fails. One history holds every call of a round,
 * which is why these rounds are short (40 calls per thread).
 */
public abstract class TransactionalConcurrencyContract extends ConcurrencyContract {

    /** Calls per thread in a transaction round: the whole round is one history to search. */
    protected static final int TRANSACTION_CALLS = 40;

    @Test
    protected void transactionsOnTheRealDiskAreAtomicAndLinearizable(TestInfo test) {
        runAndCheck(driver(this::open, test).transactions(true).callsPerThread(TRANSACTION_CALLS).rounds(3).seed(400), home);
    }

    @Test
    protected void transactionsBesideLoopingMaintenanceWithSlowFsyncsAreAtomicAndLinearizable(TestInfo test) {
        runAndCheck(driver(this::openStressed, test).vfs(slowFsyncs(500)).maintenance(maintenanceOps())
                .transactions(true).valueSizes(0, 0, 0, 100, 9000).callsPerThread(TRANSACTION_CALLS).rounds(3).seed(500), home);
    }

    @Test
    @Tag("slow")
    protected void manyTransactionRoundsAreAtomicAndLinearizable(TestInfo test) {
        runAndCheck(driver(this::open, test).transactions(true).callsPerThread(TRANSACTION_CALLS).rounds(30).seed(4000),
                home.resolve("disk"));
        runAndCheck(driver(this::openStressed, test).vfs(slowFsyncs(5000)).maintenance(maintenanceOps())
                .transactions(true).valueSizes(0, 0, 0, 100, 9000).callsPerThread(TRANSACTION_CALLS).rounds(30).seed(5000),
                home.resolve("maintenance"));
    }
}
