package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A step a teacher can hand out, the module that holds it, and the modules it needs to build.
 * Step 3 reuses step 2's log, step 5 runs on step 4's tree, step 6 reuses step 2's log for its
 * memtable log and its manifest (DESIGN.md, "The progression").
 */
public enum LabStep {
    STEP1("step1", "step1-pickled-map", List.of()),
    STEP2("step2", "step2-append-log", List.of()),
    STEP3("step3", "step3-hash-index", List.of("step2-append-log")),
    STEP4("step4", "step4-btree", List.of()),
    STEP5("step5", "step5-wal", List.of("step4-btree")),
    STEP6("step6", "step6-lsm", List.of("step2-append-log"));

    /** The modules every workspace carries, as reference code: the contract and the test support. */
    public static final List<String> SHARED_MODULES = List.of("api", "testkit");

    private final String id;
    private final String module;
    private final List<String> stepDependencies;

    LabStep(String id, String module, List<String> stepDependencies) {
        this.id = id;
        this.module = module;
        this.stepDependencies = stepDependencies;
    }

    /** The name learners type: {@code step1} ... {@code step6}. */
    public String id() {
        return id;
    }

    /** The Maven module directory, e.g. {@code step1-pickled-map}. */
    public String module() {
        return module;
    }

    /** Other steps' modules this one depends on, copied into its workspace as reference code. */
    public List<String> stepDependencies() {
        return stepDependencies;
    }

    /** Every module of this step's workspace, in build order: api, testkit, dependencies, the step. */
    public List<String> workspaceModules() {
        List<String> modules = new java.util.ArrayList<>(SHARED_MODULES);
        modules.addAll(stepDependencies);
        modules.add(module);
        return modules;
    }

    /** The step named {@code name} ({@code step3} or {@code 3} or its module name). */
    public static LabStep parse(String name) {
        for (LabStep step : values()) {
            if (step.id.equals(name) || step.module.equals(name) || step.id.equals("step" + name)) {
                return step;
            }
        }
        throw new UsageException("no step '" + name + "'; the steps are "
                + Arrays.stream(values()).map(LabStep::id).collect(Collectors.joining(", ")));
    }
}
