package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An instructor's student edition of one step ({@code kv lab export}): a standalone repository to
 * push as a GitHub Classroom template, in which every lab of the step is a hole, no file gives a
 * lab away, and the grade comes from pinned tests.
 *
 * <pre>
 * OUT/
 *   pom.xml, mvnw, mvnw.cmd, .mvn/   the build: the parent pom cut to this edition's modules, the wrapper
 *   api/, testkit/                   reference code, main sources only
 *   lib/                             the step this one builds on, compiled (step 3 and step 5; {@link StepJar})
 *   step2-append-log/                ... or as source, with --with-source
 *   step3-hash-index/                the step: every lab region a throw, all its tests, its README
 *   book/                            its chapters, listings that give a lab away cut ({@link StudentBook})
 *   LABS.md, labs.tsv, .kvbook-lab   the labs, as in a workspace (kv lab check works here too)
 *   README.md                        what this repository is and how it is graded
 *   .grader/                         the grader and the pinned copy of the tests ({@link GraderFiles})
 *   .github/workflows/classroom.yml  GitHub Classroom's grading, pinned to the grader ({@link ClassroomWorkflow})
 * </pre>
 *
 * <p>It shares with a learner's workspace ({@link Workspace}) everything {@link StepProject} writes.
 * It leaves out the legacy {@code .github/classroom/autograding.json} a workspace carries: that
 * format runs the repository's own tests, which a student can edit, and GitHub Classroom's current
 * autograding reads the workflow instead. Only the checkout's compiled classes of the step it builds
 * on are read (no build runs), so an export takes a second or two.
 */
final class StudentEdition {

    private StudentEdition() {
    }

    /**
     * What an export wrote.
     *
     * @param labs     the labs of the step, in the order to do them in
     * @param pins     the checksums the workflow pins
     * @param chapters the chapter files of the book it carries
     * @param jars     the compiled steps in {@code lib/} (empty for steps 1, 2 and 4, and with source)
     */
    record Export(List<Lab> labs, GraderFiles.Pins pins, List<String> chapters, List<StepJar.Coordinates> jars) {
    }

    /**
     * Writes the student edition of {@code step} from the checkout {@code root} into {@code dir},
     * which must not exist or be empty; with {@code withSource}, the steps it builds on come as
     * source instead of as a jar.
     */
    static Export export(Path root, LabStep step, Path dir, boolean withSource) {
        return export(root, step, LabTier.FILL_IN, dir, withSource);
    }

    /**
     * Like {@link #export(Path, LabStep, Path, boolean)}, in {@code tier}: in the build tier the holes
     * are the step's build labs, the tests that pin the reference's design are left out
     * ({@link DesignTests}), and the book's listings that give a build region away are cut.
     */
    static Export export(Path root, LabStep step, LabTier tier, Path dir, boolean withSource) {
        List<Lab> labs = LabCatalog.labsOf(root, step, tier);
        if (labs.isEmpty()) {
            throw new dev.kvbook.cli.UsageException(step.id() + " has no " + tier.id() + " labs yet (" + tier.table() + ")");
        }
        try {
            StepProject.requireEmpty(dir, "--out");
            if (!withSource) {
                for (String dependency : step.stepDependencies()) {
                    StepJar.requireCurrent(root, dependency); // refuse before writing anything
                }
            }
            Files.createDirectories(dir);
            List<String> references = new ArrayList<>(LabStep.SHARED_MODULES);
            if (withSource) {
                references.addAll(step.stepDependencies());
            }
            List<String> modules = new ArrayList<>(references);
            modules.add(step.module());
            StepProject.writeModules(root, step, tier, dir, modules);
            List<StepJar.Coordinates> jars = new ArrayList<>();
            if (!withSource) {
                for (String dependency : step.stepDependencies()) {
                    jars.add(StepJar.write(root, dependency, dir));
                }
                pinJars(dir.resolve(step.module()).resolve("pom.xml"), jars);
            }
            StepProject.writeRootPom(root, dir, modules, "A kvbook student edition of " + step.id()
                    + ", made by 'kv lab export'. api and testkit are reference\n       code" + (jars.isEmpty() ? "" : ", lib/ holds the"
                    + " compiled step it builds on") + "; " + step.module() + " holds the labs (see LABS.md).",
                    jars.isEmpty() ? "" : StepJar.repositoryXml());
            StepProject.copyWrapper(root, dir);
            if (!jars.isEmpty()) {
                // A file: repository is on this disk: let an offline build (-o) read it like ~/.m2.
                Files.writeString(dir.resolve(".mvn/maven.config"), "-Daether.offline.protocols=file\n");
            }
            StepProject.writeLabFiles(dir, step, tier, labs, tier == LabTier.FILL_IN ? LabsFile.renderStudentEdition(step, labs)
                    : LabsFile.renderBuild(step, labs, root, true));
            HintsFile.copyInto(root, step, dir); // hints are for students; the rubric (labs/rubric) stays out

            List<Lab> given = new ArrayList<>(LabCatalog.all(root));
            if (tier == LabTier.BUILD) { // the fill-in tier cuts as it always has: build regions are another tier's
                given.addAll(LabCatalog.allBuild(root));
            }
            List<Giveaways.Body> bodies = Giveaways.bodies(root, given);
            List<Path> chapters = StudentBook.write(root, step, dir, bodies);
            GraderFiles.Pins pins = GraderFiles.write(dir, step, labs, GraderFiles.pinnedPaths(step, references, !jars.isEmpty(), dir,
                    studentFilesOutside(root, step, tier)));
            Files.createDirectories(dir.resolve(ClassroomWorkflow.PATH).getParent());
            Files.writeString(dir.resolve(ClassroomWorkflow.PATH), ClassroomWorkflow.render(step, labs, pins));
            Files.writeString(dir.resolve("README.md"), readme(step, labs, chapters, !jars.isEmpty()));

            List<Path> markdown = new ArrayList<>(chapters);
            markdown.add(dir.resolve("README.md"));
            if (Files.isRegularFile(dir.resolve(step.module()).resolve("README.md"))) {
                markdown.add(dir.resolve(step.module()).resolve("README.md"));
            }
            for (Path file : markdown) {
                StudentBook.polish(dir, file, step, bodies);
            }
            return new Export(labs, pins, chapters.stream().map(p -> p.getFileName().toString()).toList(), jars);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the student edition " + dir, e);
        }
    }

    private static void pinJars(Path stepPom, List<StepJar.Coordinates> jars) throws IOException {
        String pom = Files.readString(stepPom, StandardCharsets.UTF_8);
        for (StepJar.Coordinates jar : jars) {
            pom = StepJar.pinDependency(pom, jar);
        }
        Files.writeString(stepPom, pom);
    }

    /** The files outside the step's module that hold a region of one of its build labs (the testkit's), in the build tier. */
    private static List<String> studentFilesOutside(Path root, LabStep step, LabTier tier) {
        if (tier == LabTier.FILL_IN) {
            return List.of();
        }
        return LabCatalog.buildMarkersOf(root, step).stream().map(m -> m.file().toString().replace('\\', '/'))
                .filter(f -> !f.startsWith(step.module() + "/")).distinct().toList();
    }

    /** The repository's README: what it is, how to work in it, and how it is graded. */
    private static String readme(LabStep step, List<Lab> labs, List<Path> chapters, boolean jar) {
        StringBuilder md = new StringBuilder();
        md.append("# kvbook ").append(step.id()).append(": the student edition\n\n")
                .append("This repository is one step of the kvbook labs (a storage-engine workbook in Java): the ")
                .append(step.module()).append(" store\nwith the heart of ").append(labs.size())
                .append(" of its methods cut out. You write them back; the store's own tests, the\n"
                        + "same ones the reference passes, grade your code. `LABS.md` lists the labs, in the order to do them.\n\n")
                .append("## Working here\n\n")
                .append("- `./mvnw verify` builds everything and runs every test of the step (Java 17; the wrapper fetches\n"
                        + "  Maven). `./mvnw verify -Dgroups=lab:<id>` runs one lab's tests.\n")
                .append("- Write only in `").append(step.module()).append("/src/main`. `api/` and `testkit/` are kvbook's"
                        + " contract and test\n  support")
                .append(jar ? "; `lib/` holds the step this one builds on, compiled" : "").append(".\n")
                .append("- Read first: ");
        List<String> links = new ArrayList<>();
        for (Path chapter : chapters) {
            links.add("[" + chapter.getFileName() + "](book/" + chapter.getFileName() + ")");
        }
        md.append(String.join(", ", links)).append(".\n\n")
                .append("## How it is graded\n\n")
                .append("Every push runs `.github/workflows/classroom.yml`: for each lab, `.grader/grade.sh <lab>` puts the\n"
                        + "exported tests, poms, wrapper and testkit back from `.grader/tests.tar` and runs the lab's tests;\n"
                        + "a lab whose tests all pass earns its points. The workflow pins the SHA-256 of the grader and of\n"
                        + "that archive, so editing a test changes what you see on your machine, never your grade. Your\n"
                        + "instructor may add hidden tests. `sh .grader/grade.sh all` runs the grader by hand.\n\n")
                .append("Please keep your solutions private: the next class gets the same labs.\n");
        return md.toString();
    }
}
