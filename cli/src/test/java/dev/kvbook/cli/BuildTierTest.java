package dev.kvbook.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build tier in the default run, with no Maven build: {@code kv lab export step1 --tier build}
 * writes an edition whose step-1 sources have the build lab's regions cut (and the fill-in lab inside
 * them gone with them), whose tests leave out the design-pinning classes, and whose sources compile
 * (javac in this JVM, against the same api and testkit); its LABS.md, grader and workflow name the
 * build lab; {@code kv lab hint} works there and in a build-tier workspace; and the fill-in tier
 * is unchanged by it. That the cut tests fail and the reference passes is {@code BuildLabsTest}'s (slow).
 */
class BuildTierTest {

    static final String PICKLE_FILE = "step1-pickled-map/src/main/java/dev/kvbook/pickled/PickleFile.java";
    static final String TESTS = "step1-pickled-map/src/test/java/dev/kvbook/pickled/";

    @Test
    void aBuildTierStep1EditionCutsTheBuildRegionsLeavesOutDesignTestsAndCompiles(@TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("step1-build");
        Kv.Result export = Kv.run("lab", "export", "step1", "--tier", "build", "--out", edition.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out()).contains("build-tier student edition", "1 build labs");

        String pickleFile = Files.readString(edition.resolve(PICKLE_FILE));
        assertThat(pickleFile).contains("throw new UnsupportedOperationException(\"BUILD step1.build-replace: Design the whole")
                .doesNotContain("LAB:BEGIN", "vfs.rename(", "syncDirectory(directory)", "StorePaths.sibling(path, \".tmp\")");
        assertThat(pickleFile.split("BUILD:BEGIN step1.build-replace", -1)).as("three regions cut").hasSize(4);
        assertThat(Files.readString(edition.resolve("step1-pickled-map/src/main/java/dev/kvbook/pickled/PickledFormat.java")))
                .as("the fill-in labs outside are reference code, unmarked").doesNotContain("LAB:BEGIN", "UnsupportedOperationException(\"LAB");
        assertThat(edition.resolve(TESTS + "PickleFileSequenceTest.java")).as("design:step1.build-replace").doesNotExist();
        assertThat(edition.resolve(TESTS + "PickleFileTest.java")).as("behaviour, method-tagged").exists();
        assertThat(edition.resolve(TESTS + "PickledMapStoreCrashTest.java")).exists();

        assertThat(Files.readString(edition.resolve("LABS.md"))).contains("# kvbook build labs: step1",
                "| `step1.build-replace` | Design the whole atomic replace", "`" + PICKLE_FILE + "`");
        assertThat(Files.readString(edition.resolve(".kvbook-lab"))).contains("tier=build");
        assertThat(Files.readString(edition.resolve("labs.tsv"))).contains("step1.build-replace\t").doesNotContain("step1.replace\t");
        assertThat(Files.readString(edition.resolve(".grader/grade.sh"))).contains("labs=\"step1.build-replace\"");
        assertThat(Files.readString(edition.resolve(".github/workflows/classroom.yml")))
                .contains("sh .grader/grade.sh step1.build-replace ").doesNotContain("grade.sh step1.replace ");
        assertThat(Files.readString(edition.resolve("book/01-step1-pickled-map.md"))).as("the listing of the replace is cut")
                .doesNotContain("vfs.rename(tempPath, path);");

        Kv.Result hint = Kv.run("lab", "hint", "step1.build-replace", "--dir", edition.toString());
        assertThat(hint.exitCode()).as(hint.toString()).isZero();
        assertThat(hint.out()).contains("Hint 1 of 3, a nudge:");
        Kv.Result fillIn = Kv.run("lab", "hint", "step1.replace", "--dir", edition.toString());
        assertThat(fillIn.exitCode()).isNotZero();
        assertThat(fillIn.err()).contains("is a fill-in lab", "--tier fill-in");

        assertCompiles(edition, tmp.resolve("classes"));
    }

    @Test
    void aBuildTierWorkspaceListsItsBuildLabsAndGivesTheirHints(@TempDir Path tmp) throws IOException {
        Path ws = tmp.resolve("ws");
        Kv.Result start = Kv.run("lab", "start", "step1", "--tier", "build", "--dir", ws.toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(start.out()).contains("build-tier workspace", "step1.build-replace");
        assertThat(Files.readString(ws.resolve("LABS.md"))).contains("kv lab hint step1.build-replace", "kv lab check step1");
        assertThat(ws.resolve(TESTS + "PickleFileSequenceTest.java")).doesNotExist();
        Kv.Result hint = Kv.run("lab", "hint", "step1.build-replace", "--dir", ws.toString());
        assertThat(hint.exitCode()).as(hint.toString()).isZero();
        assertThat(Files.readString(ws.resolve(".kvbook-hints"))).contains("step1.build-replace");

        Path fillIn = tmp.resolve("fill-in");
        assertThat(Kv.run("lab", "start", "step1", "--dir", fillIn.toString()).exitCode()).isZero();
        assertThat(fillIn.resolve(TESTS + "PickleFileSequenceTest.java")).as("the fill-in tier keeps every test").exists();
        assertThat(Files.readString(fillIn.resolve(PICKLE_FILE))).doesNotContain("BUILD:")
                .contains("throw new UnsupportedOperationException(\"LAB step1.replace:");
        Kv.Result wrongTier = Kv.run("lab", "hint", "step1.build-replace", "--dir", fillIn.toString());
        assertThat(wrongTier.exitCode()).isNotZero();
        assertThat(wrongTier.err()).contains("kv lab start step1 --tier build");

        Kv.Result list = Kv.run("lab", "list");
        assertThat(list.out()).contains("build labs (kv lab start step1 --tier build):", "step1.build-replace");
        assertThat(Kv.run("lab", "start", "step1", "--tier", "bogus", "--dir", tmp.resolve("x").toString()).err())
                .contains("no tier 'bogus'");
    }

    /** Compiles the edition's step-1 main and test sources together with javac, against this JVM's test class path. */
    private static void assertCompiles(Path edition, Path classes) throws IOException {
        List<String> files = new ArrayList<>();
        for (String dir : List.of("step1-pickled-map/src/main/java", "step1-pickled-map/src/test/java")) {
            try (Stream<Path> walk = Files.walk(edition.resolve(dir))) {
                walk.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(files::add);
            }
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-d", classes.toString(),
                "-cp", classpath));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertThat(code).as("javac of the build-tier edition:%n%s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
