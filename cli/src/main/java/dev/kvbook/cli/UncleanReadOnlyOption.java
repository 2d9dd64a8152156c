package dev.kvbook.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --unclean-read-only} option of the commands that only read a store: {@code get},
 * {@code scan}, {@code stats} and {@code shell} (a picocli mixin).
 *
 * <p>Step 4 refuses to open a file that was not closed cleanly, because it cannot repair one; the
 * library lets a program open it read-only instead ({@code BTreeStore.Options.withOpenUncleanReadOnly}),
 * and this is the same for a person at the command line, through
 * {@link dev.kvbook.api.StoreProvider#openUncleanReadOnly}. Writing commands do not take it: a
 * store opened this way refuses writes. {@code inspect} and {@code verify} need it not: they
 * read the files themselves and show an unclean file for what it is.
 */
final class UncleanReadOnlyOption {

    /** The option's name, as the refusal's advice names it ({@link Errors}). */
    static final String NAME = "--unclean-read-only";

    @Option(names = NAME,
            description = "Open a store that was not closed cleanly (step 4 after a crash) read-only, to look at "
                    + "what is there, instead of being refused. Stores that repair themselves on open do not take it.")
    boolean enabled;
}
