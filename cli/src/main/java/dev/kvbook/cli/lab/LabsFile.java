package dev.kvbook.cli.lab;

import java.util.List;

/** The {@code LABS.md} a workspace starts with: what to do, in which file, and where to read about it. */
final class LabsFile {

    private LabsFile() {
    }

    /** The LABS.md of a workspace for {@code step} made from the checkout {@code root} (whose {@code kv} runs the checks). */
    static String render(LabStep step, List<Lab> labs, java.nio.file.Path root) {
        StringBuilder md = new StringBuilder();
        md.append("# kvbook labs: ").append(step.id()).append(" (").append(step.module()).append(")\n\n")
                .append("Each lab is a `// LAB:BEGIN <id>` ... `// LAB:END` region of ").append(step.module())
                .append("/src/main/java whose code was\nreplaced by `throw new UnsupportedOperationException(\"LAB <id>: ...\")`."
                        + " Write it; the Javadoc and the\nsurrounding code say what it must do. The book sections"
                        + " are in the kvbook repository.\n\n")
                .append("    ./mvnw verify                         # build and run every test of the step\n")
                .append("    ").append(root.toAbsolutePath().normalize().resolve("kv")).append(" lab check ").append(step.id())
                .append(" --dir .   # the same tests, as a checklist by lab (kv is in the kvbook checkout)\n")
                .append("    ").append(root.toAbsolutePath().normalize().resolve("kv")).append(" lab hint ")
                .append(labs.isEmpty() ? "<id>" : labs.get(0).id())
                .append("   # the next of a lab's three hints, noted in .kvbook-hints for your teacher\n")
                .append("    ./mvnw verify -Dgroups=lab:").append(labs.isEmpty() ? "<id>" : labs.get(0).id())
                .append("   # only one lab's own tests: each carries @Tag(\"lab:<id>\")\n\n")
                .append(table(labs));
        return md.toString();
    }

    /**
     * The LABS.md of a student edition of {@code step} ({@link StudentEdition}): the same table,
     * with the edition's own tools instead of a kvbook checkout's, and how it is graded.
     */
    static String renderStudentEdition(LabStep step, List<Lab> labs) {
        String first = labs.isEmpty() ? "<id>" : labs.get(0).id();
        return "# kvbook labs: " + step.id() + " (" + step.module() + ")\n\n"
                + "Each lab is a `// LAB:BEGIN <id>` ... `// LAB:END` region of " + step.module() + "/src/main/java whose code"
                + " was\nreplaced by `throw new UnsupportedOperationException(\"LAB <id>: ...\")`. Write it; the Javadoc and"
                + " the\nsurrounding code say what it must do, and the chapters in `book/` explain the ideas.\n\n"
                + "    ./mvnw verify                          # build and run every test of the step\n"
                + "    ./mvnw verify -Dgroups=lab:" + first + "   # only one lab's own tests: each carries @Tag(\"lab:<id>\")\n"
                + "    sh .grader/grade.sh " + first + "          # what the grader says about one lab (or: all)\n\n"
                + "Stuck? `" + HintsFile.IN_WORKSPACE + "` holds each lab's time estimate and three hints (a nudge, the\n"
                + "approach, the near-answer): read them one at a time, and say in your commit message which you used.\n\n"
                + "Grading runs `.grader/grade.sh` for each lab (see `.github/workflows/classroom.yml`). It puts the\n"
                + "exported tests, poms and testkit back before it runs them, so change only " + step.module()
                + "/src/main:\nan edited test changes what you see locally, never your grade.\n\n"
                + table(labs);
    }

    /**
     * The LABS.md of a build-tier workspace ({@code edition} false) or student edition ({@code edition}
     * true) of {@code step}, made from the checkout {@code root}: what a build lab is, how it is
     * judged, and a table of the build labs with every file that holds one of their regions.
     */
    static String renderBuild(LabStep step, List<Lab> labs, java.nio.file.Path root, boolean edition) {
        String first = labs.isEmpty() ? "<id>" : labs.get(0).id();
        String kv = edition ? "" : root.toAbsolutePath().normalize().resolve("kv").toString();
        StringBuilder md = new StringBuilder();
        md.append("# kvbook build labs: ").append(step.id()).append(" (").append(step.module()).append(")\n\n")
                .append("A build lab hands you a whole piece of the store's design, not one method: each is one or more\n"
                        + "`// BUILD:BEGIN <id>` ... `// BUILD:END` regions whose code was replaced by\n"
                        + "`throw new UnsupportedOperationException(\"BUILD <id>: ...\")`. The design is yours: add private\n"
                        + "methods, classes and fields as you like, and keep the signatures around the regions. The step's\n"
                        + "fill-in labs are reference code here.\n\n"
                        + "The tests judge behaviour, not bytes: crashes at every I/O call, round trips, corruption sweeps.\n"
                        + "The reference's own tests that pin its design (golden bytes, exact call sequences) are left out\n"
                        + "of this repository, and so are its golden files (`src/main/golden/<id>/`): where a lab pins a\n"
                        + "golden file of your own design, a test of the lab names the file and fails until you record it\n"
                        + "there, once your design is settled (its failure message says how). Commit it: it is your work.\n\n")
                .append("    ./mvnw verify                          # build and run every test of the step\n")
                .append("    ./mvnw verify -Dgroups=lab:").append(first).append("   # only one lab's own tests: each carries @Tag(\"lab:<id>\")\n");
        if (edition) {
            md.append("    sh .grader/grade.sh ").append(first).append("          # what the grader says about one lab (or: all)\n\n")
                    .append("Stuck? `").append(HintsFile.IN_WORKSPACE).append("` holds each lab's time estimate and three hints:\n"
                            + "read them one at a time, and say in your commit message which you used. Grading runs\n"
                            + "`.grader/grade.sh` for each lab, with the exported tests put back first: change only ")
                    .append(step.module()).append("/src/main\n(and the files your lab's task names).\n\n");
        } else {
            md.append("    ").append(kv).append(" lab check ").append(step.id()).append(" --dir .   # the same tests, as a checklist by lab\n")
                    .append("    ").append(kv).append(" lab hint ").append(first)
                    .append("   # the next of a lab's three hints, noted in .kvbook-hints for your teacher\n\n");
        }
        md.append("| build lab | task | files | read first |\n|---|---|---|---|\n");
        for (Lab lab : labs) {
            List<String> files = LabCatalog.buildMarkersOf(root, step).stream().filter(m -> m.id().equals(lab.id()))
                    .map(m -> "`" + m.file() + "`").distinct().toList();
            md.append("| `").append(lab.id()).append("` | ").append(lab.task()).append(" | ").append(String.join(", ", files))
                    .append(" | ").append(lab.book()).append(" |\n");
        }
        return md.toString();
    }

    private static String table(List<Lab> labs) {
        StringBuilder md = new StringBuilder("A lab's own tests check that lab's code, so it earns its points whatever the state of\n"
                + "the others; a lab whose tests also run another lab's code says \"do ... first\".\n\n"
                + "| lab | task | file | read first |\n|---|---|---|---|\n");
        for (Lab lab : labs) {
            md.append("| `").append(lab.id()).append("` | ").append(lab.task()).append(doFirst(lab)).append(" | `")
                    .append(lab.file()).append("` | ").append(lab.book()).append(" |\n");
        }
        return md.toString();
    }

    /** {@code " (do `a` and `b` first)"} for a lab that needs others, else empty. */
    static String doFirst(Lab lab) {
        List<String> needs = lab.needs().stream().map(id -> "`" + id + "`").toList();
        if (needs.isEmpty()) {
            return "";
        }
        String last = needs.get(needs.size() - 1);
        String list = needs.size() == 1 ? last : String.join(", ", needs.subList(0, needs.size() - 1)) + " and " + last;
        return " (do " + list + " first)";
    }
}
