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
                .append("    ./mvnw verify -Dgroups=lab:").append(labs.isEmpty() ? "<id>" : labs.get(0).id())
                .append("   # only one lab's own tests: each carries @Tag(\"lab:<id>\")\n\n")
                .append("A lab's own tests check that lab's code, so it earns its points whatever the state of the\n"
                        + "others; a lab whose tests also run another lab's code says \"do ... first\".\n\n")
                .append("| lab | task | file | read first |\n|---|---|---|---|\n");
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
