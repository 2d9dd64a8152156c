package dev.kvbook.cli.lab;

import dev.kvbook.cli.KvCommand;
import dev.kvbook.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code kv lab hint <id>}: the next hint of one lab, in a learner's workspace.
 *
 * <p>Each call reveals one more hint of the lab's ladder ({@link HintLadder}: a nudge, the
 * approach, the near-answer), with the time estimate beside the first, and appends a line to the
 * workspace's {@value HintLog#FILE} ({@link HintLog}) so that a teacher can see which hints were
 * used. After the third it reveals nothing more and prints all three again; {@code --shown}
 * prints the ones already revealed. The ladders come from the workspace's own copy
 * ({@value HintsFile#IN_WORKSPACE}), so nothing from the checkout is needed.
 *
 * <p>The workspace is found as {@code kv lab check} finds it: {@code --dir}, else the current
 * directory when it is one, else {@code kvbook-lab-<step>} beside the checkout. Outside any
 * workspace, {@code --all} prints a lab's whole ladder from the checkout, for a reader of the
 * reference code; it records nothing, and is refused in a workspace, where hints come one at a time.
 */
@Command(name = "hint", mixinStandardHelpOptions = true,
        description = {"Show the next of a lab's three hints (a nudge, the approach, the near-answer) and note it",
                "in the workspace's " + HintLog.FILE + ", which you commit with your work: your teacher sees which",
                "hints you used. The first comes with the lab's time estimate."})
public final class HintCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<lab>", description = "The lab, such as step1.frame ('kv lab list' shows them).")
    String labId;

    @Option(names = "--dir", paramLabel = "D", description = "The workspace; default the current directory when it "
            + "is one, else ./kvbook-lab-<step> (beside the checkout when run in it).")
    Path dir;

    @Option(names = "--shown", description = "Print the hints of the lab already shown; show no new one.")
    boolean shown;

    @Option(names = "--all", description = "Outside a workspace: print the lab's whole ladder from the kvbook "
            + "checkout, for a reader of the reference code. Nothing is recorded.")
    boolean all;

    @Override
    public Integer call() {
        LabStep step = stepOfId(labId);
        Path here = Path.of("").toAbsolutePath();
        boolean inWorkspace = dir != null || Workspace.isWorkspace(here);
        if (all) {
            if (inWorkspace) {
                throw new UsageException("--all prints a whole ladder for readers of the reference, outside a workspace;"
                        + " in a workspace the hints come one at a time: 'kv lab hint " + labId + "'");
            }
            Path root = RepoRoot.find();
            List<Lab> labs = new java.util.ArrayList<>(LabCatalog.labsOf(root, step));
            labs.addAll(LabCatalog.buildLabsOf(root, step));
            printLadder(labs, root.resolve(HintsFile.inCheckout(step)));
            return 0;
        }
        reveal(locate(dir, here, () -> LabCommand.defaultDir(step, RepoRoot.find(), here), labId));
        return 0;
    }

    /**
     * The workspace to reveal a hint of {@code labId} in, found as {@code kv lab check} finds its
     * own: {@code dir} if given (whatever it is: {@link Workspace#stepOf} then says if it is none),
     * else {@code here} when it is a workspace, else the default workspace {@code beside} the
     * checkout when that is one (asked only then: finding the checkout is not free).
     *
     * @throws UsageException when none of them is a workspace
     */
    static Path locate(Path dir, Path here, Supplier<Path> beside, String labId) {
        if (dir != null) {
            return dir;
        }
        if (Workspace.isWorkspace(here)) {
            return here;
        }
        Path besideTheCheckout = beside.get();
        if (Workspace.isWorkspace(besideTheCheckout)) {
            return besideTheCheckout;
        }
        throw new UsageException(here + " is not a lab workspace, and neither is " + besideTheCheckout + ": run 'kv lab hint "
                + labId + "' in your workspace or give it with --dir (in the kvbook checkout, --all prints the whole"
                + " ladder)");
    }

    /** The step a lab id names: {@code step1} for {@code step1.frame}. */
    static LabStep stepOfId(String id) {
        if (!LabMarkers.ID.matcher(id).matches()) {
            throw new UsageException("no lab '" + id + "': a lab id looks like step1.frame ('kv lab list' shows them all)");
        }
        return LabStep.parse(id.substring(0, id.indexOf('.')));
    }

    /** In a workspace: shows the next hint (or, past the last, all of them) and records it. */
    private void reveal(Path workspace) {
        LabStep step = Workspace.stepOf(workspace);
        Lab lab = labOf(Workspace.labs(workspace, step), step, workspace);
        Path hintsFile = workspace.resolve(HintsFile.IN_WORKSPACE);
        if (!Files.isRegularFile(hintsFile)) {
            throw new UsageException(workspace.toAbsolutePath() + " has no " + HintsFile.IN_WORKSPACE + " (it was made"
                    + " before kv lab hint existed): copy " + HintsFile.inCheckout(step) + " from the kvbook checkout there");
        }
        HintLadder ladder = ladderOf(HintsFile.read(hintsFile), hintsFile);
        int before = HintLog.shown(workspace, lab.id());
        PrintWriter out = spec.commandLine().getOut();
        out.println(lab.id() + ": " + lab.task());
        if (shown) {
            if (before == 0) {
                out.println("No hint of " + lab.id() + " shown yet: 'kv lab hint " + lab.id() + "' shows the first.");
            }
            for (int n = 1; n <= before; n++) {
                printHint(out, ladder, n);
            }
        } else if (before >= HintLadder.RUNGS) {
            out.println("All " + HintLadder.RUNGS + " hints of " + lab.id() + " are shown (see " + HintLog.FILE
                    + "); here they are again.");
            for (int n = 1; n <= HintLadder.RUNGS; n++) {
                printHint(out, ladder, n);
            }
        } else {
            int next = before + 1;
            HintLog.record(workspace, clock().instant(), lab.id(), next);
            if (next == 1) {
                out.println("Time: about " + ladder.time() + ", once you have read " + lab.book() + ".");
            }
            printHint(out, ladder, next);
            out.println();
            out.println("Noted in " + HintLog.FILE + " (commit it with your work). " + (next < HintLadder.RUNGS
                    ? "The next one, " + HintLadder.kind(next + 1) + ": 'kv lab hint " + lab.id() + "' again."
                    : "That was the last; '--shown' prints all three again."));
        }
        out.flush();
    }

    /** Outside a workspace: the whole ladder of the lab, from the checkout. */
    private void printLadder(List<Lab> labs, Path hintsFile) {
        Lab lab = labOf(labs, stepOfId(labId), null);
        HintLadder ladder = ladderOf(HintsFile.read(hintsFile), hintsFile);
        PrintWriter out = spec.commandLine().getOut();
        out.println(lab.id() + ": " + lab.task());
        out.println("Time: about " + ladder.time() + ", once you have read " + lab.book() + ".");
        for (int n = 1; n <= HintLadder.RUNGS; n++) {
            printHint(out, ladder, n);
        }
        out.flush();
    }

    /** The lab {@link #labId} names among {@code labs} (those of {@code step}, in {@code workspace} if not null). */
    private Lab labOf(List<Lab> labs, LabStep step, Path workspace) {
        for (Lab lab : labs) {
            if (lab.id().equals(labId)) {
                return lab;
            }
        }
        String ids = labs.stream().map(Lab::id).collect(Collectors.joining(", "));
        LabStep named = stepOfId(labId);
        if (named != step) { // only in a workspace: outside one, the step comes from the id itself
            throw new UsageException("lab " + labId + " belongs to " + named.id() + ", and " + workspace.toAbsolutePath()
                    + " is a workspace for " + step.id() + " (its labs: " + ids + ")");
        }
        if (workspace != null && labId.startsWith(step.id() + ".build-") != (Workspace.tierOf(workspace) == LabTier.BUILD)) {
            LabTier other = Workspace.tierOf(workspace) == LabTier.BUILD ? LabTier.FILL_IN : LabTier.BUILD;
            throw new UsageException("lab " + labId + " is a " + other.id() + " lab, and " + workspace.toAbsolutePath()
                    + " is a " + Workspace.tierOf(workspace).id() + "-tier workspace (its labs: " + ids + "); a " + other.id()
                    + "-tier one: kv lab start " + step.id() + " --tier " + other.id());
        }
        throw new UsageException("no lab '" + labId + "' in " + step.id() + "; its labs: " + ids);
    }

    private HintLadder ladderOf(Map<String, HintLadder> ladders, Path hintsFile) {
        HintLadder ladder = ladders.get(labId);
        if (ladder == null) {
            throw new UsageException("no hints for " + labId + " in " + hintsFile);
        }
        return ladder;
    }

    /** Hint {@code n} under a title; code fences dropped and their lines indented, for a terminal. */
    static void printHint(PrintWriter out, HintLadder ladder, int n) {
        out.println();
        out.println("Hint " + n + " of " + HintLadder.RUNGS + ", " + HintLadder.kind(n) + ":");
        boolean code = false;
        for (String line : ladder.hint(n).split("\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
            } else {
                out.println(line.isEmpty() ? "" : (code ? "      " : "  ") + line);
            }
        }
    }

    /** The clock of the {@code kv} this runs in (a test's, in tests), else the system's. */
    private Clock clock() {
        return spec.root().userObject() instanceof KvCommand kv ? kv.clock() : Clock.systemUTC();
    }
}
