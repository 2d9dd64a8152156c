package dev.kvbook.cli;

/**
 * Bad input the CLI found itself: an unknown store, a missing path, malformed hex, a path holding
 * another kind of store. Its message is the whole story, one line saying what is wrong and what
 * to do; {@link Errors} prints it and exits with code 2.
 */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
