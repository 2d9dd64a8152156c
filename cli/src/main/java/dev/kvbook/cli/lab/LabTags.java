package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which tests belong to which lab: the JUnit 5 tags {@code @Tag("lab:<id>")} on test methods, or on
 * a test class that is wholly one lab's, read from the test sources.
 *
 * <p>The tag of lab {@code step1.frame} is {@code lab:step1.frame} ({@link #of}). JUnit forbids
 * blanks, control characters and {@code , ( ) & | !} in a tag; the id's letters, digits, dots and
 * dashes and the colon are all allowed, so the tag is the id behind a fixed prefix, and
 * {@code ./mvnw verify -Dgroups=lab:step1.frame} runs exactly that lab's tests. A test may carry
 * several lab tags: each says "this test fails while that lab is missing".
 *
 * <p>Surefire's reports do not record tags, so {@code kv lab check} learns them here: a
 * {@code @Tag("lab:...")} line applies to the next {@code class} or method declaration below it
 * (other annotations may sit between). A class tag covers every test the class runs, inherited
 * ones included, and so do a superclass's; a method tag covers that method in its class and in the
 * classes extending it.
 */
public final class LabTags {

    /** What every lab tag starts with. */
    public static final String PREFIX = "lab:";

    private static final Pattern TAG = Pattern.compile("^\\s*@Tag\\(\"" + PREFIX + "([^\"]*)\"\\)");
    private static final Pattern CLASS = Pattern.compile("^\\s*(?:public\\s+|abstract\\s+|final\\s+)*class\\s+(\\w+)"
            + "(?:\\s+extends\\s+(\\w+))?");
    private static final Pattern METHOD = Pattern.compile("^\\s*(?:public\\s+|protected\\s+)?void\\s+(\\w+)\\s*\\(");

    /** Lab ids by class (simple name) and method; method {@code ""} holds the class's own tags. */
    private final Map<String, Map<String, Set<String>>> tags = new HashMap<>();
    private final Map<String, String> superclass = new HashMap<>();

    private LabTags() {
    }

    /** The tag of lab {@code id}: {@code lab:<id>}. */
    public static String of(String id) {
        return PREFIX + id;
    }

    /** The lab tags of every {@code .java} file under {@code testSources} (empty when it does not exist). */
    public static LabTags scan(Path testSources) {
        LabTags result = new LabTags();
        if (!Files.isDirectory(testSources)) {
            return result;
        }
        try (Stream<Path> files = Files.walk(testSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                result.read(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tests under " + testSources, e);
        }
        return result;
    }

    private void read(List<String> lines) {
        Set<String> pending = new LinkedHashSet<>();
        String currentClass = null;
        for (String line : lines) {
            Matcher tag = TAG.matcher(line);
            Matcher cls = CLASS.matcher(line);
            Matcher method = METHOD.matcher(line);
            if (tag.find()) {
                pending.add(tag.group(1));
            } else if (cls.find()) {
                if (currentClass == null) { // nested classes (fixtures) stay with the outer one
                    currentClass = cls.group(1);
                    if (cls.group(2) != null) {
                        superclass.put(currentClass, cls.group(2));
                    }
                    add(currentClass, "", pending);
                }
                pending.clear();
            } else if (method.find() && currentClass != null) {
                add(currentClass, method.group(1), pending);
                pending.clear();
            }
        }
    }

    private void add(String cls, String method, Set<String> labs) {
        if (!labs.isEmpty()) {
            tags.computeIfAbsent(cls, c -> new HashMap<>()).computeIfAbsent(method, m -> new TreeSet<>()).addAll(labs);
        }
    }

    /** Every lab id some tag names, sorted. */
    public Set<String> labs() {
        Set<String> all = new TreeSet<>();
        tags.values().forEach(byMethod -> byMethod.values().forEach(all::addAll));
        return all;
    }

    /** The classes (simple names) with a class or method carrying the tag of {@code lab}, sorted. */
    public Set<String> classes(String lab) {
        Set<String> classes = new TreeSet<>();
        tags.forEach((cls, byMethod) -> {
            if (byMethod.values().stream().anyMatch(s -> s.contains(lab))) {
                classes.add(cls);
            }
        });
        return classes;
    }

    /** How many class or method declarations carry the tag of {@code lab}. */
    public int count(String lab) {
        return (int) tags.values().stream().flatMap(byMethod -> byMethod.values().stream()).filter(s -> s.contains(lab)).count();
    }

    /**
     * Whether the test {@code method} of class {@code className} (simple or qualified; the method as
     * surefire names it, perhaps with parameters) carries the tag of {@code lab}, on itself or its class.
     */
    public boolean has(String className, String method, String lab) {
        String name = method.split("[(\\[ ]", 2)[0];
        for (String c = className.substring(className.lastIndexOf('.') + 1); c != null; c = superclass.get(c)) {
            Map<String, Set<String>> byMethod = tags.getOrDefault(c, Map.of());
            if (byMethod.getOrDefault("", Set.of()).contains(lab) || byMethod.getOrDefault(name, Set.of()).contains(lab)) {
                return true; // JUnit's @Tag is @Inherited: a superclass's class tag covers its subclasses too
            }
        }
        return false;
    }
}
