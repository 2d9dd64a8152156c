package dev.kvbook.cli.lab;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the {@code TEST-*.xml} files surefire writes to {@code target/surefire-reports}: one
 * {@code <testcase classname name>} per test, holding a {@code <failure message type>} (an
 * assertion failed), an {@code <error>} (an exception escaped) or {@code <skipped/>}.
 *
 * <p>A failure or error whose text (message or stack trace, causes included) shows
 * {@code UnsupportedOperationException: LAB <id>:} hit a lab nobody has written yet: the test is
 * "not started", blocked by that lab. Any other failure is "failed" with its first message line.
 */
public final class SurefireReports {

    static final Pattern LAB_THROW = Pattern.compile("UnsupportedOperationException: (?:LAB|BUILD) (step[1-6]\\.[a-z0-9-]+):");
    private static final int MESSAGE_LIMIT = 200;

    private SurefireReports() {
    }

    /** Every test in the reports under {@code reportsDir}, file by file; empty when there are none. */
    public static List<TestOutcome> read(Path reportsDir) {
        List<TestOutcome> outcomes = new ArrayList<>();
        if (!Files.isDirectory(reportsDir)) {
            return outcomes;
        }
        try (Stream<Path> files = Files.list(reportsDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                outcomes.addAll(readFile(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + reportsDir, e);
        }
        return outcomes;
    }

    /** The tests of one report file. */
    static List<TestOutcome> readFile(Path file) {
        Document doc;
        try {
            doc = parser().parse(file.toFile());
        } catch (SAXException | IOException e) {
            throw new IllegalStateException("cannot read the test report " + file + ": " + e.getMessage(), e);
        }
        List<TestOutcome> outcomes = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            outcomes.add(outcome((Element) cases.item(i)));
        }
        return outcomes;
    }

    private static TestOutcome outcome(Element testcase) {
        String className = testcase.getAttribute("classname");
        String name = testcase.getAttribute("name");
        Element problem = first(testcase, "failure");
        if (problem == null) {
            problem = first(testcase, "error");
        }
        if (problem == null) {
            TestOutcome.Status status = first(testcase, "skipped") != null ? TestOutcome.Status.SKIPPED : TestOutcome.Status.PASSED;
            return new TestOutcome(className, name, status, "", null);
        }
        String message = problem.getAttribute("message");
        String type = problem.getAttribute("type");
        Matcher lab = LAB_THROW.matcher(type + ": " + message + "\n" + problem.getTextContent());
        if (lab.find()) {
            return new TestOutcome(className, name, TestOutcome.Status.NOT_STARTED, "", lab.group(1));
        }
        return new TestOutcome(className, name, TestOutcome.Status.FAILED, firstLine(message, type), null);
    }

    private static Element first(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    /**
     * The start of the message on one line (its first three non-blank lines joined: AssertJ puts
     * "expected" and "but was" on lines of their own), shortened; the exception type when there is none.
     */
    static String firstLine(String message, String type) {
        String line = message == null ? "" : String.join(" ", message.lines().map(String::strip)
                .filter(l -> !l.isEmpty()).limit(3).toList());
        if (line.isEmpty()) {
            line = type.isEmpty() ? "(no message)" : type;
        }
        return line.length() <= MESSAGE_LIMIT ? line : line.substring(0, MESSAGE_LIMIT - 3) + "...";
    }

    private static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML parser: " + e.getMessage(), e);
        }
    }
}
