package dev.kvbook.cli;

import dev.kvbook.api.vfs.Vfs;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** Runs {@code kv} in this JVM as a script would: no terminal, captured stdout and stderr. */
final class Kv {

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {

        /** The lines printed to stderr. */
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private Kv() {
    }

    /** Runs {@code kv args} with nothing on stdin. */
    static Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs {@code kv args} with nothing on stdin, its stores reached through {@code vfs}. */
    static Result runOn(Vfs vfs, String... args) {
        return execute(new KvCommand(new ByteArrayInputStream(new byte[0]), false, vfs), args);
    }

    /** Runs {@code kv args} with nothing on stdin, on the real disk, at the time {@code clock} shows. */
    static Result runAt(Clock clock, String... args) {
        return execute(new KvCommand(new ByteArrayInputStream(new byte[0]), false, Vfs.local(), clock), args);
    }

    /** Runs {@code kv args} with {@code stdin} as its standard input. */
    static Result runWithInput(String stdin, String... args) {
        return execute(new KvCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false), args);
    }

    private static Result execute(KvCommand root, String... args) {
        CommandLine cmd = Main.commandLine(root);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
