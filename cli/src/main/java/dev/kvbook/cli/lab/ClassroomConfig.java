package dev.kvbook.cli.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The GitHub Classroom autograding config a learner's workspace carries
 * ({@code .github/classroom/autograding.json}): one test per lab, worth 10 points, and one for
 * the whole step.
 *
 * <p>A workspace builds on its own (it carries the Maven wrapper, the api, the testkit and what
 * the step builds on), so grading needs nothing from outside it: each lab's test runs the tests
 * tagged with that lab's tag ({@code ./mvnw ... -Dgroups=lab:<id>}, see {@link LabTags}), so each lab
 * passes or fails on its own, and the step's test runs all of them.
 * A run passes when Maven exits 0. {@code labs/classroom/autograding.json} in the kvbook checkout
 * is this file for step 1.
 */
public final class ClassroomConfig {

    /** The path of the config in a learner's repository. */
    public static final String PATH = ".github/classroom/autograding.json";

    private ClassroomConfig() {
    }

    /** The config for {@code step} with its {@code labs}, as JSON. */
    public static String render(LabStep step, List<Lab> labs) {
        List<String> tests = new ArrayList<>();
        for (Lab lab : labs) {
            tests.add(test(lab.id(), step, " -Dgroups=" + lab.tag()));
        }
        tests.add(test(step.id() + " (every test)", step, ""));
        return "{\n  \"tests\": [\n" + String.join(",\n", tests) + "\n  ]\n}\n";
    }

    /** One autograding test: build the step (and what it needs) and run its tests, or some of them. */
    private static String test(String name, LabStep step, String testSelection) {
        return "    {\n"
                + "      \"name\": \"" + name + "\",\n"
                + "      \"setup\": \"\",\n"
                + "      \"run\": \"./mvnw -B -q verify -pl " + step.module() + " -am" + testSelection + "\",\n"
                + "      \"input\": \"\",\n"
                + "      \"output\": \"\",\n"
                + "      \"comparison\": \"included\",\n"
                + "      \"timeout\": 20,\n"
                + "      \"points\": 10\n"
                + "    }";
    }
}
