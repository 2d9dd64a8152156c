package dev.kvbook.cli.lab;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checklist {@code kv lab check} prints: one block per lab (the tests tagged with its
 * {@link Lab#tag() tag}, see {@link LabTags}), then one for the rest of the step's tests, each
 * broken down by {@link TestCategory}. A test tagged for two labs counts in both blocks.
 *
 * <pre>
 * [ ] step1.replace  Replace the file atomically: ...
 *     read: book/01-step1-pickled-map.md#the-four-steps-of-an-atomic-replace
 *     tag:  lab:step1.replace
 *     crash               0 passed   0 failed  24 not started
 *       waiting on step1.frame (24)
 * </pre>
 * A lab's block is {@code [ ]} (not started) while any test of the step still hits its throw,
 * {@code [x]} (done) when none does and all its own tests pass, and {@code [~]} (in progress) in
 * between: its code runs, but some of its tests fail or wait on another lab. The block of the
 * rest of the store is {@code [x]} when all pass, {@code [ ]} when none got past a LAB throw. Up to {@value #SHOWN_FAILURES} failures per
 * category are shown with their first assertion message.
 */
public final class Checklist {

    static final int SHOWN_FAILURES = 3;
    static final String WHOLE_STORE = "the whole store";

    private Checklist() {
    }

    /** One block: a lab (or the rest of the step) and its tests. */
    record Group(String title, String task, String book, String tag, List<TestOutcome> tests, boolean stillThrows) {

        boolean done() {
            return !stillThrows && tests.stream().allMatch(t -> t.status() == TestOutcome.Status.PASSED
                    || t.status() == TestOutcome.Status.SKIPPED);
        }

        /** A lab is not started while any test still hits its throw; the rest of the store while no test got past one. */
        boolean notStarted() {
            return stillThrows || !tests.isEmpty() && tests.stream().allMatch(t -> t.status() == TestOutcome.Status.NOT_STARTED);
        }

        String box() {
            return done() ? "[x]" : notStarted() ? "[ ]" : "[~]";
        }
    }

    /** The blocks: each lab with the tests that carry its tag, then the step's remaining tests. */
    static List<Group> groups(List<Lab> labs, LabTags tags, List<TestOutcome> outcomes) {
        List<Group> groups = new ArrayList<>();
        Set<TestOutcome> claimed = new HashSet<>();
        for (Lab lab : labs) {
            List<TestOutcome> own = outcomes.stream().filter(t -> tags.has(t.className(), t.method(), lab.id())).toList();
            claimed.addAll(own);
            boolean stillThrows = outcomes.stream().anyMatch(t -> lab.id().equals(t.blockingLab()));
            groups.add(new Group(lab.id(), lab.task(), lab.book(), lab.tag(), own, stillThrows));
        }
        List<TestOutcome> rest = outcomes.stream().filter(t -> !claimed.contains(t)).toList();
        groups.add(new Group(WHOLE_STORE, "every other test of the step (contract suites, model-based, "
                + "crash, fault and process tests)", null, null, rest, false));
        return groups;
    }

    /** Prints the checklist of {@code run}; returns whether every test passed. */
    public static boolean print(PrintWriter out, LabStep step, List<Lab> labs, LabTags tags, LabRun run, String onlyLab) {
        List<TestOutcome> all = run.outcomes();
        Map<TestOutcome.Status, Integer> totals = count(all);
        out.printf("kv lab check %s: %d tests in %d s: %d passed, %d failed, %d not started%n", step.id(), all.size(),
                run.seconds(), totals.get(TestOutcome.Status.PASSED), totals.get(TestOutcome.Status.FAILED),
                totals.get(TestOutcome.Status.NOT_STARTED));
        boolean allPassed = true;
        for (Group group : groups(labs, tags, all)) {
            if (onlyLab != null && !group.title().equals(onlyLab)) {
                continue;
            }
            printGroup(out, group);
            allPassed &= group.done();
        }
        out.println();
        out.println(allPassed ? "Every test passes." : "Legend: [x] done  [~] in progress  [ ] not started"
                + " (a test still hits its LAB or BUILD throw). The build log: " + run.log());
        out.flush();
        return allPassed;
    }

    private static void printGroup(PrintWriter out, Group group) {
        out.println();
        out.println(group.box() + " " + group.title() + "  " + group.task());
        if (group.book() != null) {
            out.println("    read: " + group.book());
        }
        if (group.tag() != null) {
            out.println("    tag:  " + group.tag() + "   (./mvnw verify -Dgroups=" + group.tag() + " runs only these)");
        }
        if (group.tests().isEmpty()) {
            out.println("    (no tests ran)");
            return;
        }
        Map<TestCategory, List<TestOutcome>> byCategory = new EnumMap<>(TestCategory.class);
        for (TestOutcome t : group.tests()) {
            byCategory.computeIfAbsent(t.category(), c -> new ArrayList<>()).add(t);
        }
        byCategory.forEach((category, tests) -> printCategory(out, category, tests));
    }

    private static void printCategory(PrintWriter out, TestCategory category, List<TestOutcome> tests) {
        Map<TestOutcome.Status, Integer> n = count(tests);
        out.printf("    %-18s %4d passed %4d failed %4d not started%n", category.label(),
                n.get(TestOutcome.Status.PASSED), n.get(TestOutcome.Status.FAILED), n.get(TestOutcome.Status.NOT_STARTED));
        List<TestOutcome> failed = tests.stream().filter(t -> t.status() == TestOutcome.Status.FAILED).toList();
        for (TestOutcome t : failed.subList(0, Math.min(SHOWN_FAILURES, failed.size()))) {
            out.println("      x " + t.simpleClassName() + "." + t.method() + ": " + t.message());
        }
        if (failed.size() > SHOWN_FAILURES) {
            out.println("      ... and " + (failed.size() - SHOWN_FAILURES) + " more failures");
        }
        Map<String, Integer> waiting = new TreeMap<>();
        tests.stream().filter(t -> t.blockingLab() != null).forEach(t -> waiting.merge(t.blockingLab(), 1, Integer::sum));
        if (!waiting.isEmpty()) {
            List<String> parts = new ArrayList<>();
            waiting.forEach((lab, count) -> parts.add(lab + " (" + count + ")"));
            out.println("      waiting on " + String.join(", ", parts));
        }
    }

    private static Map<TestOutcome.Status, Integer> count(List<TestOutcome> tests) {
        Map<TestOutcome.Status, Integer> n = new LinkedHashMap<>();
        for (TestOutcome.Status s : TestOutcome.Status.values()) {
            n.put(s, 0);
        }
        tests.forEach(t -> n.merge(t.status(), 1, Integer::sum));
        return n;
    }
}
