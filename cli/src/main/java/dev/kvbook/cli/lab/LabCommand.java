package dev.kvbook.cli.lab;

import dev.kvbook.cli.Errors;
import dev.kvbook.cli.Text;
import dev.kvbook.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code kv lab}: the labs. {@code list} shows them, {@code start} writes a learner's workspace for
 * one step, {@code check} runs its tests and prints the checklist, {@code hint} ({@link HintCommand})
 * shows a lab's hints one at a time, {@code export} writes an instructor's student edition of one
 * step. See book chapter 8.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The labs: the reference stores with their hearts cut out, graded by the same tests.",
                "", "  kv lab list                 every lab, with its task and book section",
                "  kv lab start step1          a workspace for step 1 in ./kvbook-lab-step1 (beside the checkout when run in it)",
                "  kv lab start step1 --tier build   the same with step 1's build labs: a whole piece of the design to write",
                "  kv lab check step1          run its tests and print a checklist by lab",
                "  kv lab hint step1.frame     the next of the lab's three hints (noted in the workspace)",
                "  kv lab export step1 --out D a student edition for a course: graded by pinned tests"},
        subcommands = {LabCommand.ListLabs.class, LabCommand.Start.class, LabCommand.Check.class, HintCommand.class,
                LabCommand.Export.class})
public final class LabCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** With no subcommand: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The default workspace directory of {@code step}: {@code kvbook-lab-<step>} in {@code here}, the
     * current directory, or beside the checkout {@code root} when {@code here} is inside it. A
     * workspace inside the checkout would be untracked files there (a commit of solutions waiting to
     * happen), and every edit in it would make {@code ./kv} rebuild.
     */
    static Path defaultDir(LabStep step, Path root, Path here) {
        Path base = isInside(here, root) ? root.toAbsolutePath().normalize().getParent() : here;
        return base.resolve("kvbook-lab-" + step.id());
    }

    /** Whether {@code path} is {@code root} or lies below it (both made absolute and normalized). */
    static boolean isInside(Path path, Path root) {
        return path.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize());
    }

    private static Path here() {
        return Path.of("").toAbsolutePath();
    }

    /** {@code kv lab list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every lab, both tiers (fill-in, then build, per step): id, task and the book section to read.")
    static final class ListLabs implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path root = RepoRoot.find();
            LabStep current = null;
            List<Lab> labs = new java.util.ArrayList<>(LabCatalog.all(root));
            labs.addAll(LabCatalog.allBuild(root));
            labs.sort(java.util.Comparator.comparing(Lab::step)); // stable: each step's fill-in labs, then its build labs
            boolean buildHeading = false;
            for (Lab lab : labs) {
                if (lab.step() != current) {
                    current = lab.step();
                    buildHeading = false;
                    out.println((current == LabStep.STEP1 ? "" : "\n") + current.id() + " (" + current.module() + ")");
                }
                if (lab.tier() == LabTier.BUILD && !buildHeading) {
                    buildHeading = true;
                    out.println("  build labs (kv lab start " + current.id() + " --tier build):");
                }
                String indent = " ".repeat(2 + 24 + 1);
                Text.wrap(lab.task(), String.format("  %-24s ", lab.id()), indent).forEach(out::println);
                Text.wrap(lab.book() + "  (" + lab.file().getFileName() + ")", indent, indent).forEach(out::println);
                if (!lab.needs().isEmpty()) {
                    Text.wrap("do first: " + String.join(", ", lab.needs()), indent, indent).forEach(out::println);
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code kv lab start <step> [--dir D]}. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Write a learner's workspace for one step: a Maven project of its own (./mvnw verify)",
                    "with every lab of the step replaced by a throw."})
    static final class Start implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "<step>", description = "step1 ... step6")
        String step;

        @Option(names = "--dir", paramLabel = "D", description = "Where to write it (must not exist or be empty; "
                + "not inside the kvbook checkout); default ./kvbook-lab-<step>, or beside the checkout when run in it.")
        Path dir;

        @Option(names = "--tier", paramLabel = "T", description = "fill-in (the default): every fill-in lab a hole; "
                + "build: every build lab a hole (a whole piece of the design), the fill-in labs as reference code.")
        String tier;

        @Override
        public Integer call() {
            LabStep labStep = LabStep.parse(step);
            LabTier labTier = LabTier.parse(tier);
            Path root = RepoRoot.find();
            if (dir != null && isInside(dir, root)) {
                throw new UsageException(dir.toAbsolutePath().normalize() + " is inside the kvbook checkout " + root
                        + ": a workspace there would sit among its files; choose a directory outside it, such as "
                        + defaultDir(labStep, root, here()));
            }
            Path target = dir != null ? dir : defaultDir(labStep, root, here());
            List<Lab> labs = Workspace.generate(root, labStep, labTier, target);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Wrote the " + labStep.id() + (labTier == LabTier.BUILD ? " build-tier" : "") + " workspace to "
                    + target.toAbsolutePath() + " with " + labs.size() + (labTier == LabTier.BUILD ? " build" : "")
                    + " labs (see its LABS.md):");
            labs.forEach(lab -> out.printf("  %-24s %s%n", lab.id(), lab.task()));
            out.println("Next: cd " + target + " && git init (it is your repository), then 'kv lab check "
                    + labStep.id() + " --dir " + target + "' or './mvnw verify'.");
            out.flush();
            return 0;
        }
    }

    /** {@code kv lab check <step> [--dir D]}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Run a workspace's tests with its Maven wrapper and print a checklist by lab and by kind",
                    "of test: passed, failed (with the first assertion message) or not started.",
                    "Exit code 0 when every test (of --lab, if given) passes, 1 otherwise."})
    static final class Check implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "<step>", description = "step1 ... step6")
        String step;

        @Option(names = "--dir", paramLabel = "D", description = "The workspace; default the current directory when it "
                + "is one, else ./kvbook-lab-<step> (beside the checkout when run in it).")
        Path dir;

        @Option(names = "--lab", paramLabel = "ID", description = "Run only this lab's tests (those tagged lab:<ID>); "
                + "only its block is printed and decides the exit code.")
        String onlyLab;

        @Option(names = "--offline", description = "Run Maven offline (-o): everything must already be in ~/.m2.")
        boolean offline;

        @Override
        public Integer call() {
            LabStep labStep = LabStep.parse(step);
            Path workspace = dir != null ? dir
                    : Workspace.isWorkspace(Path.of("")) ? Path.of("") : defaultDir(labStep, RepoRoot.find(), here());
            LabStep found = Workspace.stepOf(workspace);
            if (found != labStep) {
                throw new UsageException(workspace.toAbsolutePath() + " is a workspace for " + found.id() + ", not " + labStep.id());
            }
            List<Lab> labs = Workspace.labs(workspace, labStep);
            if (onlyLab != null && labs.stream().noneMatch(l -> l.id().equals(onlyLab))) {
                throw new UsageException("no lab '" + onlyLab + "' in " + labStep.id() + "; 'kv lab list' shows them");
            }
            PrintWriter out = spec.commandLine().getOut();
            String tag = onlyLab == null ? null : LabTags.of(onlyLab);
            out.println("Running the " + (tag == null ? labStep.id() + " tests" : "tests tagged " + tag) + " in "
                    + workspace.toAbsolutePath() + " (./mvnw verify" + (tag == null ? "" : " -Dgroups=" + tag) + ")...");
            out.flush();
            LabRun run = LabRun.run(workspace.toAbsolutePath(), labStep, tag, offline);
            if (run.outcomes().isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("kv lab check: the build stopped before any test ran (exit " + run.exitCode()
                        + "); the first errors, from " + run.log() + ":");
                run.buildErrors().forEach(line -> err.println("  " + line));
                err.flush();
                return Errors.FINDINGS;
            }
            LabTags tags = LabTags.scan(workspace.resolve(labStep.module()).resolve("src/test/java"));
            boolean passed = Checklist.print(out, labStep, labs, tags, run, onlyLab);
            String hints = HintLog.summary(workspace, labs);
            if (hints != null) {
                out.println(hints);
                out.flush();
            }
            return passed ? 0 : Errors.FINDINGS;
        }
    }

    /** {@code kv lab export <step> --out D [--with-source]}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a student edition of one step for a course: a standalone repository (its own",
                    "build, tests and book chapters) with every lab a hole, no listing that gives a lab away,",
                    "the step it builds on as a compiled jar, and a GitHub Classroom workflow whose grader",
                    "restores pinned tests before it runs them."})
    static final class Export implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "<step>", description = "step1 ... step6")
        String step;

        @Option(names = "--out", required = true, paramLabel = "D",
                description = "Where to write it (must not exist or be empty; not inside the kvbook checkout).")
        Path out;

        @Option(names = "--with-source", description = "Ship the step it builds on (step 2 under step 3, step 4 under "
                + "step 5) as source, not as a jar: its labs' answers become readable.")
        boolean withSource;

        @Option(names = "--tier", paramLabel = "T", description = "fill-in (the default) or build: which labs are the holes.")
        String tier;

        @Override
        public Integer call() {
            LabStep labStep = LabStep.parse(step);
            LabTier labTier = LabTier.parse(tier);
            Path root = RepoRoot.find();
            if (isInside(out, root)) {
                throw new UsageException(out.toAbsolutePath().normalize() + " is inside the kvbook checkout " + root
                        + ": a student edition there would sit among its files; choose a directory outside it");
            }
            StudentEdition.Export export = StudentEdition.export(root, labStep, labTier, out, withSource);
            PrintWriter o = spec.commandLine().getOut();
            o.println("Wrote the " + labStep.id() + (labTier == LabTier.BUILD ? " build-tier" : "") + " student edition to "
                    + out.toAbsolutePath() + ": " + export.labs().size() + (labTier == LabTier.BUILD ? " build" : "") + " labs, the chapters " + String.join(", ", export.chapters()) + ".");
            for (StepJar.Coordinates jar : export.jars()) {
                o.println("The step it builds on is a jar in lib/: " + jar.artifactId() + " " + jar.version() + ".");
            }
            o.println("The workflow " + ClassroomWorkflow.PATH + " pins:");
            o.println("  sha256 of " + GraderFiles.SCRIPT + "   " + export.pins().grader());
            o.println("  sha256 of " + GraderFiles.TESTS + "  " + export.pins().tests());
            o.println("Keep these: a student's grading log prints the hashes it was given, and they must be these.");
            o.println("Next: cd " + out + " && git init && git add -A && git commit -m '" + labStep.id()
                    + " student edition', then push it as a template repository (book chapter 8).");
            o.flush();
            return 0;
        }
    }
}
