package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * A step that another builds on (step 2 under step 3, step 4 under step 5), shipped in a student
 * edition as a compiled jar instead of as source: its labs are some other assignment's answers.
 *
 * <p>The jar is made from the checkout's compiled classes ({@code <module>/target/classes}, which
 * {@code ./kv} keeps current) and laid out as a Maven repository inside the edition:
 * <pre>
 * lib/dev/kvbook/kvbook-step2-append-log/0.1.0-3f5a9c0d12ab/
 *     kvbook-step2-append-log-0.1.0-3f5a9c0d12ab.jar       (+ .sha1)
 *     kvbook-step2-append-log-0.1.0-3f5a9c0d12ab.pom       a minimal pom (+ .sha1)
 * </pre>
 * The parent pom declares {@code lib/} as a {@code <repository>} with a {@code file:} URL based on
 * {@code ${maven.multiModuleProjectDirectory}}, and {@code .mvn/maven.config} lets an offline build
 * ({@code -o}) read it: a {@code file:} repository is on this disk, not on the network.
 *
 * <p>The version is the project's, with the first 12 hex digits of the jar's SHA-256 in place
 * of {@code SNAPSHOT}. Maven keeps a copy of whatever it resolves in {@code ~/.m2} and never looks
 * again at a release version it has; naming the content makes that copy always the right one.
 * The jar's bytes depend only on the classes: entries sorted, one fixed time.
 */
final class StepJar {

    /** The directory of the repository inside an edition. */
    static final String LIB = "lib";

    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
    private static final Pattern PARENT_VERSION =
            Pattern.compile("<artifactId>kvbook-parent</artifactId>\\s*<version>([^<]+)</version>");

    /** A jar written into an edition's {@code lib/}. */
    record Coordinates(String artifactId, String version) {
    }

    private StepJar() {
    }

    /**
     * Jars the compiled classes of {@code module} from the checkout {@code root} into {@code dir}'s
     * {@value #LIB} repository. Cost: one read of the module's classes.
     *
     * @throws UsageException when the classes are missing or older than the sources
     */
    static Coordinates write(Path root, String module, Path dir) throws IOException {
        requireCurrent(root, module);
        byte[] jar = jar(root.resolve(module).resolve("target/classes"));
        String artifactId = "kvbook-" + module;
        String version = projectVersion(root).replace("-SNAPSHOT", "") + "-" + sha256(jar).substring(0, 12);
        Path folder = dir.resolve(LIB).resolve("dev/kvbook").resolve(artifactId).resolve(version);
        Files.createDirectories(folder);
        String base = artifactId + "-" + version;
        String pom = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!-- kvbook's " + module + ", compiled, for a student edition (kv lab export). A minimal pom:\n"
                + "     the step that uses it names kvbook-api itself. -->\n"
                + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>dev.kvbook</groupId>\n"
                + "  <artifactId>" + artifactId + "</artifactId>\n"
                + "  <version>" + version + "</version>\n"
                + "</project>\n";
        writeWithSha1(folder.resolve(base + ".jar"), jar);
        writeWithSha1(folder.resolve(base + ".pom"), pom.getBytes(StandardCharsets.UTF_8));
        return new Coordinates(artifactId, version);
    }

    /** The {@code <repository>} element for the edition's parent pom. */
    static String repositoryXml() {
        return "\n\n  <!-- The compiled step this one builds on, in a Maven repository inside this project (see\n"
                + "       lib/ and .mvn/maven.config). -->\n"
                + "  <repositories>\n"
                + "    <repository>\n"
                + "      <id>kvbook-lib</id>\n"
                + "      <url>file://${maven.multiModuleProjectDirectory}/" + LIB + "</url>\n"
                + "      <releases>\n"
                + "        <checksumPolicy>fail</checksumPolicy>\n"
                + "      </releases>\n"
                + "      <snapshots>\n"
                + "        <enabled>false</enabled>\n"
                + "      </snapshots>\n"
                + "    </repository>\n"
                + "  </repositories>";
    }

    /**
     * The step's pom with its dependency on {@code jar} pinned to the jar's version instead of the
     * project's ({@code ${project.version}} would name a module this project does not have).
     */
    static String pinDependency(String stepPom, Coordinates jar) {
        Pattern dependency = Pattern.compile("(<artifactId>" + Pattern.quote(jar.artifactId())
                + "</artifactId>\\s*<version>)\\$\\{project\\.version}(</version>)");
        Matcher m = dependency.matcher(stepPom);
        if (!m.find()) {
            throw new IllegalStateException("the step's pom has no dependency on " + jar.artifactId()
                    + " at ${project.version} to point at the jar");
        }
        return m.replaceFirst("$1" + Matcher.quoteReplacement(jar.version()) + "$2");
    }

    /**
     * Refuses a {@code module} of the checkout {@code root} whose compiled classes are missing, or
     * older than its newest source: the jar would not be the code the book and the tests describe.
     */
    static void requireCurrent(Path root, String module) throws IOException {
        Path sources = root.resolve(module).resolve("src/main");
        Path classes = root.resolve(module).resolve("target/classes");
        String build = "build the checkout first: ./mvnw -q -DskipTests package -pl " + module + " -am (./kv does it)";
        if (!Files.isDirectory(classes)) {
            throw new UsageException("no compiled classes of " + module + " at " + classes + "; " + build);
        }
        if (newest(sources).compareTo(newest(classes)) > 0) {
            throw new UsageException("the sources of " + module + " changed after its last build; " + build);
        }
    }

    private static FileTime newest(Path dir) throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                FileTime time = Files.getLastModifiedTime(file);
                newest = time.compareTo(newest) > 0 ? time : newest;
            }
        }
        return newest;
    }

    /** Every file under {@code classes}, in path order, each entry stamped with {@link #ENTRY_TIME}. */
    static byte[] jar(Path classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "kv lab export (kvbook)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes);
             Stream<Path> walk = Files.walk(classes)) {
            ZipEntry manifestEntry = new ZipEntry("META-INF/MANIFEST.MF");
            manifestEntry.setTimeLocal(ENTRY_TIME); // local date-time: no time zone can change the bytes
            jar.putNextEntry(manifestEntry);
            manifest.write(jar);
            jar.closeEntry();
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            for (String name : files.stream().map(f -> classes.relativize(f).toString().replace('\\', '/')).sorted().toList()) {
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                ZipEntry entry = new ZipEntry(name);
                entry.setTimeLocal(ENTRY_TIME);
                jar.putNextEntry(entry);
                jar.write(Files.readAllBytes(classes.resolve(name)));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void writeWithSha1(Path file, byte[] data) throws IOException {
        Files.write(file, data);
        Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), hex("SHA-1", data));
    }

    private static String projectVersion(Path root) throws IOException {
        Matcher m = PARENT_VERSION.matcher(Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException(root.resolve("pom.xml") + " names no version of kvbook-parent");
        }
        return m.group(1);
    }

    /** The SHA-256 of {@code data}, 64 lowercase hex digits. */
    static String sha256(byte[] data) {
        return hex("SHA-256", data);
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }
}
