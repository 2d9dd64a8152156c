package dev.kvbook.cli.lab;

/**
 * One test as the surefire report tells it.
 *
 * @param className  the test class, qualified
 * @param method     the test's name as JUnit reports it (may carry parameters)
 * @param status     how it went
 * @param message    for a failure, the first line of its assertion message (else empty)
 * @param blockingLab for a test that is not started, the LAB id whose throw it hit (else null)
 */
public record TestOutcome(String className, String method, Status status, String message, String blockingLab) {

    /** How a test went. */
    public enum Status {
        PASSED, FAILED, NOT_STARTED, SKIPPED
    }

    /** The class's simple name. */
    public String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** Its category ({@link TestCategory#of}). */
    public TestCategory category() {
        return TestCategory.of(className, method);
    }
}
