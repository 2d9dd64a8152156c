package dev.kvbook.testkit.concurrency;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.kvbook.testkit.concurrency.Action.delete;
import static dev.kvbook.testkit.concurrency.Action.get;
import static dev.kvbook.testkit.concurrency.Action.put;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker on hand-written histories, where the right verdict is known: the stamps are
 * written out, so "[3..6]" means invoked at 3 and returned at 6, and two calls overlap when
 * their intervals do.
 */
class LinearizabilityCheckerTest {

    @Test
    void aSequentialHistoryThatAMapWouldProduceIsLinearizable() {
        List<Call> history = List.of(
                Call.of(0, 1, 2, put("k", "v1")),
                Call.of(1, 3, 4, get("k", "v1")),
                Call.of(0, 5, 6, delete("k", true)),
                Call.of(1, 7, 8, get("k", null)),
                Call.of(1, 9, 10, delete("k", false)));
        assertThat(LinearizabilityChecker.check(history).linearizable()).isTrue();
    }

    @Test
    void aReadOverlappingAWriteMaySeeTheOldValueOrTheNew() {
        for (String seen : new String[] {"old", "new"}) {
            List<Call> history = List.of(
                    Call.of(0, 1, 2, put("k", "old")),
                    Call.of(0, 3, 6, put("k", "new")),
                    Call.of(1, 4, 5, get("k", seen)));
            assertThat(LinearizabilityChecker.check(history).linearizable()).as("get saw %s", seen).isTrue();
        }
    }

    @Test
    void aReadAfterAWriteReturnedMustSeeIt() {
        List<Call> history = List.of(
                Call.of(0, 1, 2, put("k", "old")),
                Call.of(0, 3, 4, put("k", "new")),
                Call.of(1, 5, 6, get("k", "old")));
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history);
        assertThat(verdict.linearizable()).isFalse();
        assertThat(verdict.inconclusive()).isFalse();
    }

    /**
     * Issue #15's minimal history, from step 5 with group commit: thread 1's delete is appended
     * but not yet published when thread 2's delete, building on the unpublished state, answers
     * false at once; thread 2's next get reads the published state and still sees v3.
     */
    @Test
    void issue15sStaleDeleteAnswerFollowedByAGetOfTheOldValueIsRejected() {
        List<Call> history = List.of(
                Call.of(0, 1, 2, put("k2", "v3")),
                Call.of(1, 3, 8, delete("k2", true)),
                Call.of(2, 4, 5, delete("k2", false)),
                Call.of(2, 6, 7, get("k2", "v3")));
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history);
        assertThat(verdict.linearizable()).isFalse();
        assertThat(verdict.explanation()).contains("k2", "delete k2 -> true", "get k2 -> v3");
    }

    @Test
    void theSameCallsAreLinearizableWhenTheGetCameBeforeTheFalseDelete() {
        List<Call> history = List.of(
                Call.of(0, 1, 2, put("k2", "v3")),
                Call.of(1, 3, 8, delete("k2", true)),
                Call.of(2, 4, 5, get("k2", "v3")),
                Call.of(2, 6, 7, delete("k2", false)));
        assertThat(LinearizabilityChecker.check(history).linearizable()).isTrue();
    }

    @Test
    void aReaderThatSeesHalfOfATransactionIsRejected() {
        List<Call> history = List.of(
                Call.transaction(0, 1, 10, put("a", "x"), put("b", "y")),
                Call.of(1, 2, 3, get("a", "x")),
                Call.of(1, 4, 5, get("b", null)));
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history);
        assertThat(verdict.linearizable()).isFalse();
        assertThat(verdict.histories()).as("a transaction joins its keys into one history").isEqualTo(1);
    }

    @Test
    void aReaderThatSeesAllOrNoneOfATransactionIsAccepted() {
        for (String b : new String[] {"y", null}) {
            String a = b == null ? null : "x";
            List<Call> history = List.of(
                    Call.transaction(0, 1, 10, put("a", "x"), put("b", "y")),
                    Call.of(1, 2, 3, get("a", a)),
                    Call.of(1, 4, 5, get("b", b)));
            assertThat(LinearizabilityChecker.check(history).linearizable()).as("reader saw b=%s", b).isTrue();
        }
    }

    @Test
    void aReadOnlyTransactionThatSeesHalfOfACommittedOneIsRejected() {
        List<Call> history = List.of(
                Call.transaction(0, 1, 2, put("a", "x"), delete("b", false), put("b", "y")),
                Call.transaction(1, 3, 4, get("a", "x"), get("b", null)));
        assertThat(LinearizabilityChecker.check(history).linearizable()).isFalse();
    }

    @Test
    void aTransactionSeesItsOwnWritesInOrder() {
        List<Call> history = List.of(
                Call.transaction(0, 1, 2, put("a", "x"), get("a", "x"), delete("a", true), get("a", null)),
                Call.of(1, 3, 4, get("a", null)));
        assertThat(LinearizabilityChecker.check(history).linearizable()).isTrue();
    }

    @Test
    void aValueNobodyWroteIsNeverExplained() {
        List<Call> history = List.of(
                Call.of(0, 1, 4, put("k", "v")),
                Call.of(1, 2, 3, get("k", "garbled(3 bytes: 0x000000)")));
        assertThat(LinearizabilityChecker.check(history).linearizable()).isFalse();
    }

    @Test
    void independentKeysAreCheckedAsSeparateHistories() {
        List<Call> history = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            history.add(Call.of(0, 10L * k + 1, 10L * k + 2, put("k" + k, "v")));
            history.add(Call.of(1, 10L * k + 3, 10L * k + 4, get("k" + k, "v")));
        }
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history);
        assertThat(verdict.linearizable()).isTrue();
        assertThat(verdict.histories()).isEqualTo(10);
        assertThat(verdict.calls()).isEqualTo(20);
    }

    @Test
    void aLongHistoryOfFourOverlappingThreadsIsCheckedCompletely() {
        List<Call> history = linearizableByConstruction(4, 2000, 3, 7);
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history);
        assertThat(verdict.linearizable()).as(verdict::explanation).isTrue();
        assertThat(verdict.histories()).isEqualTo(3);
    }

    @Test
    void aSearchThatRunsOutOfBudgetSaysSoInsteadOfPassing() {
        List<Call> history = linearizableByConstruction(4, 200, 1, 11);
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history, Map.of(), 10);
        assertThat(verdict.linearizable()).isFalse();
        assertThat(verdict.inconclusive()).isTrue();
        assertThat(verdict.explanation()).contains("gave up");
    }

    @Test
    void anInitialStateIsWhereTheSearchStarts() {
        List<Call> history = List.of(Call.of(0, 1, 2, get("k", "there")));
        assertThat(LinearizabilityChecker.check(history, Map.of("k", "there"), 100).linearizable()).isTrue();
        assertThat(LinearizabilityChecker.check(history).linearizable()).isFalse();
    }

    /**
     * A history a correct map produced: {@code count} random calls on {@code keys} keys applied in
     * order to a model, each given an interval around its turn that overlaps its neighbours',
     * as if {@code threads} threads had made them (each thread's calls in sequence).
     */
    private static List<Call> linearizableByConstruction(int threads, int count, int keys, long seed) {
        Random random = new Random(seed);
        Map<String, String> model = new HashMap<>();
        List<Call> history = new ArrayList<>();
        long[] threadFree = new long[threads];
        for (int i = 0; i < count; i++) {
            String key = "k" + random.nextInt(keys);
            Action action = switch (random.nextInt(3)) {
                case 0 -> get(key, model.get(key));
                case 1 -> put(key, "v" + i);
                default -> delete(key, model.containsKey(key));
            };
            action.applyTo(model);
            // The call takes effect at 10i+5; its interval reaches back and forward by up to
            // 2.5 turns, so up to about five calls overlap, but never before its thread was free.
            int thread = i % threads;
            long invoked = Math.max(threadFree[thread] + 1, 10L * i + 5 - random.nextInt(25));
            long returned = 10L * i + 5 + 1 + random.nextInt(25);
            threadFree[thread] = returned;
            history.add(new Call(thread, List.of(action), false, invoked * 2, returned * 2 + 1));
        }
        return history;
    }
}
