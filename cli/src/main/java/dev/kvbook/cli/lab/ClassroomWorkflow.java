package dev.kvbook.cli.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The GitHub Actions workflow that grades a student edition for GitHub Classroom,
 * {@code .github/workflows/classroom.yml}: one grader step per lab, worth {@value #POINTS} points,
 * one for every test of the step, and the reporter that sends the total to Classroom.
 *
 * <p>Each grader step's command first checks {@code .grader/grade.sh} against the SHA-256 pinned
 * here, then runs it with the SHA-256 of {@code .grader/tests.tar} pinned here ({@link GraderFiles}):
 * <pre>
 * echo '&lt;sha256&gt;  .grader/grade.sh' | sha256sum --check --quiet &amp;&amp; sh .grader/grade.sh step1.frame &lt;sha256&gt;
 * </pre>
 * So a student who edits a test, the testkit, a pom, or the grader itself changes no grade: the
 * grader restores the files, or the check refuses it. This file is the trust boundary. A student
 * can edit it too (a repository's owner can change its workflows); what makes that visible is
 * that the grader prints the hashes it was given and the repository's history shows every commit
 * that touched the file. Chapter 8 of the book says how an instructor checks.
 *
 * <p>The actions' inputs, as their own definitions give them (read 2026-12-05 from the stored
 * sources of the two repositories):
 * <ul>
 * <li>{@code classroom-resources/autograding-command-grader@v1}, {@code action.yml} at commit
 *     7712c71: inputs {@code test-name} (required), {@code setup-command}, {@code command}
 *     (required; "a zero exit code signifies a successful test"), {@code timeout} (minutes,
 *     default 10, at most 6 hours), {@code max-score}; output {@code result}. Its
 *     {@code src/main.js} runs the command with {@code execSync} in a shell whose environment
 *     holds only {@code PATH}, {@code HOME}, {@code FORCE_COLOR}, {@code DOTNET_CLI_HOME} and
 *     {@code DOTNET_NOLOGO}: a step's {@code env:} never reaches the command, which is why the
 *     hidden tests are fetched by an earlier step into {@code $HOME} instead.</li>
 * <li>{@code classroom-resources/autograding-grading-reporter@v1}, {@code action.yml} and
 *     {@code README.md} at commit 43c2d9f: input {@code runners}, "a comma separated list of runner
 *     ids from previous steps"; for each id an environment variable named after the id "in all
 *     capitals followed by {@code _RESULTS}" holding that step's {@code result}
 *     ({@code STEP1-FRAME_RESULTS: "${{steps.step1-frame.outputs.result}}"}; {@code src/main.js} on
 *     the {@code releases/v1} branch, commit d13b591, reads
 *     {@code process.env[runner.trim().toUpperCase() + "_RESULTS"]}). A later version of the README
 *     (1a5a0c4) asks that the workflow be named {@code Autograding Tests}, have one job,
 *     {@code run-autograding-tests}, and be the first workflow to finish, and notes that GitHub
 *     Classroom has been sunset and the reporter is deprecated.</li>
 * </ul>
 * Step ids may hold letters, digits, {@code -} and {@code _}, so a lab's id is its lab id with the
 * dot made a dash: {@code step1.frame} runs as {@code step1-frame}.
 */
final class ClassroomWorkflow {

    /** Where the workflow lives in a student edition. */
    static final String PATH = ".github/workflows/classroom.yml";

    /** Points for each lab, and for the step's whole test suite. */
    static final int POINTS = 10;

    /** Minutes a lab's tests may take; the first step also downloads Maven and the test libraries. */
    static final int LAB_TIMEOUT = 10;

    /** Minutes the whole step's tests may take: steps 4 and 5 run long crash sweeps. */
    static final int ALL_TIMEOUT = 20;

    /** Where the workflow clones the hidden tests, and where the grader looks for them (its default). */
    static final String HIDDEN_TESTS = "$HOME/.kvbook-grader/hidden-tests";

    private ClassroomWorkflow() {
    }

    /** One grader step: its Classroom test name, step id, lab ({@code all} for every test) and timeout. */
    record Grader(String testName, String id, String lab, int timeout) {
    }

    /** The grader steps for {@code labs} of {@code step}, in the order the workflow runs them. */
    static List<Grader> graders(LabStep step, List<Lab> labs) {
        List<Grader> graders = new ArrayList<>();
        for (Lab lab : labs) {
            graders.add(new Grader(lab.id(), lab.id().replace('.', '-'), lab.id(), LAB_TIMEOUT));
        }
        graders.add(new Grader(step.id() + " (every test)", step.id() + "-all", "all", ALL_TIMEOUT));
        return graders;
    }

    /** The shell command of one grader step: check the grader, then run it with the pinned tests. */
    static String command(Grader grader, GraderFiles.Pins pins) {
        return "echo '" + pins.grader() + "  " + GraderFiles.SCRIPT + "' | sha256sum --check --quiet && sh "
                + GraderFiles.SCRIPT + " " + grader.lab() + " " + pins.tests();
    }

    /** The workflow for {@code step} with its {@code labs}, pinned to {@code pins}. */
    static String render(LabStep step, List<Lab> labs, GraderFiles.Pins pins) {
        List<Grader> graders = graders(step, labs);
        StringBuilder y = new StringBuilder();
        y.append("# GitHub Classroom's autograding of kvbook ").append(step.id()).append(" (").append(step.module())
                .append("), written by 'kv lab export'.\n")
                .append("# One grader step per lab, worth ").append(POINTS).append(" points, then one for every test of the step.\n")
                .append("# Each checks .grader/grade.sh against the SHA-256 pinned here and runs it with the SHA-256 of\n")
                .append("# .grader/tests.tar pinned here; the grader restores the tests, the poms and the testkit from that\n")
                .append("# archive before Maven runs, so editing them changes no grade. This file is the trust boundary:\n")
                .append("# the grader prints the hashes it was given, and the history shows every edit of this file.\n")
                .append("name: Autograding Tests\n")
                .append("on: [push, workflow_dispatch]\n")
                .append("permissions:\n  checks: write\n  actions: read\n  contents: read\n")
                .append("jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n")
                .append("    if: github.actor != 'github-classroom[bot]'\n")
                .append("    steps:\n")
                .append("      - name: Checkout code\n        uses: actions/checkout@v4\n")
                .append("      - name: Set up Java 17\n        uses: actions/setup-java@v4\n        with:\n")
                .append("          distribution: temurin\n          java-version: '17'\n          cache: maven\n")
                .append("      - name: Build from sources only\n")
                .append("        run: find . -name target -type d -prune -exec rm -rf {} +\n")
                .append("      - name: Fetch the hidden tests (when the instructor set KVBOOK_HIDDEN_TESTS_REPO)\n")
                .append("        env:\n")
                .append("          HIDDEN_TESTS_REPO: ${{ vars.KVBOOK_HIDDEN_TESTS_REPO }}\n")
                .append("          HIDDEN_TESTS_TOKEN: ${{ secrets.KVBOOK_HIDDEN_TESTS_TOKEN }}\n")
                .append("        run: |\n")
                .append("          rm -rf \"").append(HIDDEN_TESTS).append("\"\n")
                .append("          if [ -n \"$HIDDEN_TESTS_REPO\" ]; then\n")
                .append("            git clone --quiet --depth 1 \"https://x-access-token:${HIDDEN_TESTS_TOKEN}@github.com/")
                .append("${HIDDEN_TESTS_REPO}.git\" \"").append(HIDDEN_TESTS).append("\"\n")
                .append("          fi\n");
        for (Grader grader : graders) {
            y.append("      - name: ").append(grader.testName()).append('\n')
                    .append("        id: ").append(grader.id()).append('\n')
                    .append("        uses: classroom-resources/autograding-command-grader@v1\n")
                    .append("        with:\n")
                    .append("          test-name: ").append(grader.testName()).append('\n')
                    .append("          command: \"").append(command(grader, pins)).append("\"\n")
                    .append("          timeout: ").append(grader.timeout()).append('\n')
                    .append("          max-score: ").append(POINTS).append('\n');
        }
        y.append("      - name: Autograding Reporter\n")
                .append("        uses: classroom-resources/autograding-grading-reporter@v1\n")
                .append("        env:\n");
        for (Grader grader : graders) {
            y.append("          ").append(grader.id().toUpperCase(java.util.Locale.ROOT)).append("_RESULTS: \"${{steps.")
                    .append(grader.id()).append(".outputs.result}}\"\n");
        }
        y.append("        with:\n          runners: ")
                .append(String.join(",", graders.stream().map(Grader::id).toList())).append('\n');
        return y.toString();
    }
}
