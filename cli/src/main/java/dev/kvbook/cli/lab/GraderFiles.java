package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The authoritative grader of a student edition, in {@code .grader/}:
 * <pre>
 * .grader/grade.sh           the grader (POSIX sh): checks, restores, adds hidden tests, runs Maven
 * .grader/tests.tar          the pinned copy of everything the tests and the build depend on
 * .grader/tests.tar.sha256   its SHA-256, for runs by hand (sha256sum format)
 * </pre>
 * The script is {@code grade.sh} beside this class, with the step's module, labs and pinned paths
 * filled in. What it does, and why each part, is in its header comment.
 *
 * <p>Why pin more than the tests: a grade is only as honest as the build that computes it. A
 * student who may not edit a test could still skip it from the parent pom, weaken the testkit's
 * contract suite the test extends, or swap the Maven wrapper for a script that exits 0. So the
 * archive holds every file the result depends on except the student's own sources; the grader
 * puts them all back before each run. The checksums that make this stick (of {@code grade.sh} and
 * of {@code tests.tar}) live in the workflow ({@link ClassroomWorkflow}), outside this folder.
 */
final class GraderFiles {

    /** Where the grader lives in an edition. */
    static final String DIR = ".grader";
    /** The grader, relative to the edition's root. */
    static final String SCRIPT = DIR + "/grade.sh";
    /** The pinned copy, relative to the edition's root. */
    static final String TESTS = DIR + "/tests.tar";

    /**
     * The checksums a workflow pins.
     *
     * @param grader the SHA-256 of {@code .grader/grade.sh}
     * @param tests  the SHA-256 of {@code .grader/tests.tar}
     */
    record Pins(String grader, String tests) {
    }

    private GraderFiles() {
    }

    /**
     * The paths (relative, {@code /}-separated) the grader pins for an edition of {@code step} whose
     * other modules are {@code referenceModules}, plus {@code lib} when the step it builds on
     * comes as a jar: everything the build reads except the step's {@code src/main}.
     */
    static List<String> pinnedPaths(LabStep step, List<String> referenceModules, boolean jar) {
        return pinnedPaths(step, referenceModules, jar, null, List.of());
    }

    /**
     * Like {@link #pinnedPaths(LabStep, List, boolean)}, but leaving the student the files
     * {@code studentFiles} (relative, {@code /}-separated) of the reference modules: a build lab's
     * regions in the testkit. A reference module holding one is pinned file by file from the edition
     * at {@code dir}, every file but those; the others are pinned whole, as before.
     */
    static List<String> pinnedPaths(LabStep step, List<String> referenceModules, boolean jar, Path dir,
                                    List<String> studentFiles) throws UncheckedIOException {
        List<String> paths = new ArrayList<>(List.of("pom.xml", "mvnw", "mvnw.cmd", ".mvn"));
        for (String module : referenceModules) {
            paths.add(module + "/pom.xml");
            if (studentFiles.stream().noneMatch(f -> f.startsWith(module + "/"))) {
                paths.add(module + "/src");
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir.resolve(module).resolve("src"))) {
                walk.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/'))
                        .filter(f -> !studentFiles.contains(f)).sorted().forEach(paths::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir.resolve(module), e);
            }
        }
        if (jar) {
            paths.add(StepJar.LIB);
        }
        paths.add(step.module() + "/pom.xml");
        paths.add(step.module() + "/src/test");
        return paths;
    }

    /**
     * Writes {@code .grader/} into the edition at {@code dir}: the archive of {@code pinned} (which
     * must already be in place), its checksum, and the script. Returns the checksums to pin.
     */
    static Pins write(Path dir, LabStep step, List<Lab> labs, List<String> pinned) throws IOException {
        Files.createDirectories(dir.resolve(DIR));
        byte[] tests = archive(dir, pinned);
        Files.write(dir.resolve(TESTS), tests);
        String testsSha = StepJar.sha256(tests);
        Files.writeString(dir.resolve(TESTS + ".sha256"), testsSha + "  tests.tar\n");
        String script = template()
                .replace("@STEP@", step.id())
                .replace("@MODULE@", step.module())
                .replace("@LABS@", labs.stream().map(Lab::id).collect(Collectors.joining(" ")))
                .replace("@PINNED@", String.join(" ", pinned));
        Files.writeString(dir.resolve(SCRIPT), script);
        dir.resolve(SCRIPT).toFile().setExecutable(true);
        return new Pins(StepJar.sha256(script.getBytes(StandardCharsets.UTF_8)), testsSha);
    }

    /** Every file under the {@code pinned} paths of {@code dir}, in path order, as a tar archive. */
    private static byte[] archive(Path dir, List<String> pinned) throws IOException {
        List<String> files = new ArrayList<>();
        for (String path : pinned) {
            Path start = dir.resolve(path);
            if (!Files.exists(start)) {
                throw new IllegalStateException("nothing at " + start + " to pin");
            }
            try (Stream<Path> walk = Files.walk(start)) {
                walk.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/')).forEach(files::add);
            }
        }
        TarWriter tar = new TarWriter();
        for (String file : files.stream().sorted().toList()) {
            // Executable by name, not by the disk's mode bits: the same sources must give the same bytes anywhere.
            tar.add(file, Files.readAllBytes(dir.resolve(file)), file.equals("mvnw"));
        }
        return tar.finish();
    }

    private static String template() {
        try (InputStream in = GraderFiles.class.getResourceAsStream("grade.sh")) {
            if (in == null) {
                throw new IllegalStateException("grade.sh is missing from the kv jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the grader's template", e);
        }
    }
}
