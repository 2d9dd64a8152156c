package dev.kvbook.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv shell}, fed scripts on standard input as a pipe would feed it. */
class ShellTest {

    @TempDir
    Path dir;

    @Test
    void scriptOnStdinRunsEveryCommandAndPrintsOnlyResults() {
        String script = """
                # a comment, then the verbs
                put greeting "hello world"
                put 0x00ff 0x0102
                get greeting
                get 0x00ff
                get nobody
                put b 2
                scan
                scan b
                del b
                del b
                sync
                quit
                put never reached
                """;
        Kv.Result result = Kv.runWithInput(script, "shell", "--store", "step1", "--path", dir.resolve("s").toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("""
                ok
                ok
                "hello world"
                0x0102
                (not found)
                ok
                0x00ff = 0x0102
                b = 2
                greeting = "hello world"
                (3 entries, in key order)
                b = 2
                greeting = "hello world"
                (2 entries, in key order)
                deleted
                (not found)
                synced: every write so far is durable
                """);
        assertThat(Kv.run("get", "--path", dir.resolve("s").toString(), "never").exitCode()).isEqualTo(Errors.FINDINGS);
    }

    @Test
    void statsInspectAndVerifyWorkOnTheOpenStore() {
        Kv.Result result = Kv.runWithInput("put k v\nstats\ninspect\nverify\nget k\n",
                "shell", "--store", "step2", "--path", dir.resolve("log").toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("live keys +1\n").contains("clean").endsWith("v\n");
    }

    @Test
    void aFailingLineIsReportedWithItsNumberAndTheShellGoesOn() {
        Kv.Result result = Kv.runWithInput("put a 1\nput 0xZZ 2\nfrobnicate\nput \"open 3\nget a\n",
                "shell", "--store", "step1", "--path", dir.resolve("s").toString());
        assertThat(result.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(result.out()).isEqualTo("ok\n1\n");
        assertThat(result.errLines()).containsExactly(
                "line 2: error: malformed hex '0xZZ': after 0x give an even number of hex digits (0-9, a-f), "
                        + "such as 0x6b6579 for the bytes of \"key\"",
                "line 3: error: unknown command 'frobnicate'; 'help' lists the commands",
                "line 4: error: unterminated quote in: put \"open 3; close it with \"");
    }

    @Test
    void wrongNumberOfArgumentsShowsTheUsage() {
        Kv.Result result = Kv.runWithInput("put onlykey\n", "shell", "--store", "step1", "--path", dir.resolve("s").toString());
        assertThat(result.err()).contains("usage: put KEY VALUE");
    }

    @Test
    void helpListsTheVerbsOfThisStore() {
        Kv.Result result = Kv.runWithInput("help\n", "shell", "--store", "step2", "--path", dir.resolve("s").toString());
        assertThat(result.out()).contains("put KEY VALUE", "scan [FROM [TO]]", "keeps no key order", "verify", "quit")
                .doesNotContain("begin / commit / rollback");
    }

    @Test
    void transactionsAreRefusedByAStoreWithoutThem() {
        Kv.Result result = Kv.runWithInput("begin\n", "shell", "--store", "step1", "--path", dir.resolve("s").toString());
        assertThat(result.err()).contains("step1 has no transactions");
    }

    @Test
    void debugShowsTheStackTraceOfAFailingLine() {
        Kv.Result result = Kv.runWithInput("get 0xZ\n", "shell", "--debug", "--store", "step1", "--path", dir.resolve("s").toString());
        assertThat(result.err()).contains("\tat dev.kvbook.cli.ByteArgs.parse", "line 1: error: malformed hex");
    }

    @Test
    void transactionVerbsGroupWritesOnATransactionalStore() throws IOException {
        FakeTransactionalProvider provider = new FakeTransactionalProvider();
        String out = runOn(provider, """
                put a 1
                begin
                put b 2
                get b
                stats
                rollback
                get b
                begin
                del a
                put c 3
                commit
                scan
                """);
        assertThat(out).isEqualTo("""
                ok
                transaction started: put, get, del and scan now go through it
                ok
                2
                line 5: error: 'stats' waits for the open transaction: commit or rollback first
                rolled back: its writes are forgotten
                (not found)
                transaction started: put, get, del and scan now go through it
                deleted
                ok
                committed: its writes are durable and visible
                c = 3
                (1 entry, in key order)
                """);
    }

    @Test
    void maintenanceOperationsOfTheStoreAreVerbs() throws IOException {
        FakeTransactionalProvider provider = new FakeTransactionalProvider();
        String out = runOn(provider, "compact\nhelp\n");
        assertThat(out).startsWith("compacted: nothing to do\n").contains("compact", "begin / commit / rollback");
        assertThat(provider.maintenanceRuns).isEqualTo(1);
    }

    /** Runs {@code script} in a shell on the fake store; failures go to the same output, prefixed. */
    private String runOn(FakeTransactionalProvider provider, String script) throws IOException {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        try (Session session = Session.open(provider, dir.resolve("fake"), out)) {
            new Shell(session, out, false).runScript(new BufferedReader(new StringReader(script)), out);
        }
        return text.toString();
    }

    @Test
    void aScriptThatEndsWithATransactionOpenRollsItBackAndSaysSo() {
        Path store = dir.resolve("t5");
        Kv.Result result = Kv.runWithInput("begin\nput x 9\ndel y\nquit\n", "shell", "--store", "step5", "--path",
                store.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Errors.BAD_INPUT);
        assertThat(result.err()).contains("rolled back").contains("2 writes were not committed");
        assertThat(Kv.run("get", "--path", store.toString(), "x").exitCode()).as("x was never committed")
                .isEqualTo(Errors.FINDINGS);
    }

    @Test
    void aScriptThatCommitsItsTransactionQuitsCleanly() {
        Path store = dir.resolve("t5");
        Kv.Result result = Kv.runWithInput("begin\nput x 9\ncommit\nquit\n", "shell", "--store", "step5", "--path",
                store.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Kv.run("get", "--path", store.toString(), "x").out()).isEqualTo("9\n");
    }

    @Test
    void quittingAnInteractiveShellWithATransactionOpenAsksAndCommitsNothingUnasked() {
        Path store = dir.resolve("t5");
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        java.util.List<String> asked = new java.util.ArrayList<>();
        java.util.Iterator<String> answers = java.util.List.of("maybe", "stay", "rollback").iterator();
        try (Session session = Session.open(dev.kvbook.api.Stores.provider("step5"), store, out)) {
            Shell shell = new Shell(session, out, false);
            shell.execute("begin");
            shell.execute("put x 9");
            java.util.function.UnaryOperator<String> user = prompt -> {
                asked.add(prompt);
                return answers.next();
            };
            assertThat(shell.execute("quit")).isFalse();
            assertThat(shell.mayLeave(user)).as("'maybe', then 'stay': the shell stays").isFalse();
            shell.execute("put y 1");
            assertThat(shell.mayLeave(user)).as("'rollback': the shell may leave").isTrue();
            assertThat(session.inTransaction()).isFalse();
        }
        assertThat(asked).containsExactly(
                "a transaction with 1 write is open: commit, rollback, or stay? ",
                "a transaction with 1 write is open: commit, rollback, or stay? ",
                "a transaction with 2 writes is open: commit, rollback, or stay? ");
        assertThat(screen.toString()).contains("answer commit, rollback or stay").contains("rolled back");
        assertThat(Kv.run("get", "--path", store.toString(), "x").exitCode()).as("x was rolled back")
                .isEqualTo(Errors.FINDINGS);
    }

    @Test
    void ctrlDAtTheQuestionStaysRatherThanCommitting() {
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        try (Session session = Session.open(dev.kvbook.api.Stores.provider("step5"), dir.resolve("t5"), out)) {
            Shell shell = new Shell(session, out, false);
            shell.execute("begin");
            shell.execute("put x 9");
            assertThat(shell.mayLeave(prompt -> null)).isFalse();
            assertThat(session.inTransaction()).isTrue();
        }
    }

    @Test
    void compactIsAShellCommandOfStepTwo() {
        Kv.Result result = Kv.runWithInput("put a 1\nput a 2\ndel a\nput b 3\ncompact\nget b\nquit\n", "shell",
                "--store", "step2", "--path", dir.resolve("s2").toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("compacted: \\d+ -> \\d+ bytes on disk").endsWith("3\n");
    }

    @Test
    void verifyInTheShellSaysItCheckedTheFilesAsCloseLeftThem() {
        Kv.Result result = Kv.runWithInput("put k v\nverify\nget k\n", "shell", "--store", "step5", "--path",
                dir.resolve("v5").toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("verified the files as closing the store left them (the store is open again):")
                .endsWith("v\n");
    }
}
