package dev.kvbook.cli;

import picocli.CommandLine;

/**
 * The entry point of {@code kv}: builds the command line and exits with its code. The {@code ./kv}
 * script at the repository root builds this module and runs it.
 */
public final class Main {

    private Main() {
    }

    /** Runs {@code kv} with {@code args} on the real terminal and exits with the command's code. */
    public static void main(String[] args) {
        System.exit(commandLine(new KvCommand()).execute(args));
    }

    /**
     * The picocli command line for {@code root}, with kvbook's error handling: one line on stderr
     * per failure, exit codes as {@link Errors} lists them. Tests use this with their own output
     * writers and input.
     */
    public static CommandLine commandLine(KvCommand root) {
        Errors errors = new Errors();
        return new CommandLine(root)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
    }
}
