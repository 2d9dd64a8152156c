package dev.kvbook.cli;

import dev.kvbook.api.Limits;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The one-shot commands for scripts: {@code kv put|get|del|scan|stats --store S --path P ...}.
 * Each opens the store, does one thing, and closes it (which makes the write durable). They
 * print what the shell's verbs of the same name print; {@code get} of a missing key prints
 * nothing on stdout and exits with 1, like {@code grep} finding nothing.
 */
final class OneShotCommands {

    private OneShotCommands() {
    }

    /** What every one-shot command shares: where the store is, and the output. */
    abstract static class OneShot implements Callable<Integer> {

        @Mixin
        StoreOptions where;

        @ParentCommand
        KvCommand kv;

        @Spec
        CommandSpec spec;

        /** Whether the path must already hold a store (only {@code put} creates one). */
        boolean mustExist() {
            return true;
        }

        /** Whether to open a store that was not closed cleanly read-only ({@link UncleanReadOnlyOption}). */
        boolean uncleanReadOnly() {
            return false;
        }

        /** Parses the arguments, before anything is opened, so bad input never creates a store. */
        void parseArguments() {
        }

        abstract int run(Session session, PrintWriter out);

        @Override
        public Integer call() {
            parseArguments();
            PrintWriter out = spec.commandLine().getOut();
            try (Session session = Session.open(where.provider(kv.vfs(), mustExist()), where.path, kv.vfs(),
                    uncleanReadOnly(), out)) {
                return run(session, out);
            } finally {
                out.flush();
            }
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store VALUE under KEY (text, or hex after 0x). Creates the store when the path does not exist.")
    static final class Put extends OneShot {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;
        private byte[] k;
        private byte[] v;

        @Override
        boolean mustExist() {
            return false;
        }

        @Override
        void parseArguments() {
            k = ByteArgs.parse(key);
            v = ByteArgs.parse(value);
            // Checked here, not by the store: a put refused for its size must not create the store first.
            Limits.checkKey(k);
            Limits.checkValue(v);
        }

        @Override
        int run(Session session, PrintWriter out) {
            session.put(k, v);
            out.println("ok");
            return 0;
        }
    }

    /** A one-shot command that only reads, and so may open a store that was not closed cleanly read-only. */
    abstract static class Reading extends OneShot {

        @Mixin
        UncleanReadOnlyOption unclean;

        @Override
        boolean uncleanReadOnly() {
            return unclean.enabled;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the value under KEY: as text when printable, else as 0x hex. Exit code 1 when absent.")
    static final class Get extends Reading {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        private byte[] k;

        @Override
        void parseArguments() {
            k = ByteArgs.parse(key);
            Limits.checkKey(k);
        }

        @Override
        int run(Session session, PrintWriter out) {
            byte[] value = session.get(k);
            if (value == null) {
                spec.commandLine().getErr().println("kv get: no value under " + key);
                spec.commandLine().getErr().flush();
                return Errors.FINDINGS;
            }
            out.println(ByteArgs.format(value));
            return 0;
        }
    }

    @Command(name = "del", aliases = "delete", mixinStandardHelpOptions = true,
            description = "Delete KEY. Prints 'deleted', or '(not found)' when there was nothing to delete.")
    static final class Del extends OneShot {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        private byte[] k;

        @Override
        void parseArguments() {
            k = ByteArgs.parse(key);
            Limits.checkKey(k);
        }

        @Override
        int run(Session session, PrintWriter out) {
            out.println(session.delete(k) ? "deleted" : "(not found)");
            return 0;
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Print the entries with FROM <= key < TO, one 'key = value' a line.", "",
                    "Both bounds are optional. Stores without key order can only list everything."})
    static final class Scan extends Reading {
        @Parameters(index = "0", paramLabel = "FROM", arity = "0..1")
        String from;
        @Parameters(index = "1", paramLabel = "TO", arity = "0..1")
        String to;
        private byte[] fromBytes;
        private byte[] toBytes;

        @Override
        void parseArguments() {
            fromBytes = from == null ? null : ByteArgs.parse(from);
            toBytes = to == null ? null : ByteArgs.parse(to);
        }

        @Override
        int run(Session session, PrintWriter out) {
            session.scan(fromBytes, toBytes);
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print the store's figures: live keys, files, bytes on disk, garbage, and its own counters.")
    static final class Stats extends Reading {
        @Override
        int run(Session session, PrintWriter out) {
            session.stats();
            return 0;
        }
    }
}
