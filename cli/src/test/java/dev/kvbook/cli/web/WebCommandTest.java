package dev.kvbook.cli.web;

import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.cli.KvCommand;
import dev.kvbook.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kv web} as a command: its help, the URL it prints, its fresh store deleted on exit, read-only mode.
 * The timeout is a watchdog, not a speed check: a server that never prints its URL would otherwise
 * keep the polling loop waiting forever.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WebCommandTest {

    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/\\?token=([0-9a-f]{32})");

    @TempDir
    Path dir;

    @Test
    void helpTellsALearnerWhatItDoesAndHowToStopIt() {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine(new KvCommand(new ByteArrayInputStream(new byte[0]), false));
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("web", "--help")).isZero();
        assertThat(out.toString()).contains("Watch a store change in the browser").contains("127.0.0.1").contains("token")
                .contains("--store").contains("--path").contains("--read-only").contains("--port").contains("Ctrl-C");
        assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
    }

    @Test
    void printsTheUrlServesThePageAndDeletesItsFreshStoreWhenStopped() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine(new KvCommand(new ByteArrayInputStream(new byte[0]), false));
        cmd.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> cmd.execute("web", "--store", "step2"));
        Matcher url = waitForUrl(out, running);
        String text = out.toString();
        Path fresh = Path.of(text.substring(text.indexOf("store at ") + 9, text.indexOf(" (fresh")));
        assertThat(Files.exists(fresh.getParent())).isTrue();
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.group())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("kv web");
        ((WebCommand) cmd.getSubcommands().get("web").getCommand()).stop();
        assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(Files.exists(fresh.getParent())).as("the fresh store's directory is deleted").isFalse();
    }

    @Test
    void readOnlyOffersOnlyReadsAndWritesNothing() throws Exception {
        Path path = dir.resolve("store");
        var provider = Stores.providers().stream().filter(p -> p.name().equals("step4")).findFirst().orElseThrow();
        try (var store = provider.open(path, Vfs.local())) {
            store.put("apple".getBytes(), "red".getBytes());
        }
        byte[] before = Files.readAllBytes(path);
        WebStore store = new WebStore(provider, path, new ReadOnlyDisk(Vfs.local()), Vfs.local(), true);
        try (WebFixture web = WebFixture.over(provider, path, store)) {
            assertThat(web.command("get apple").json().get("output")).isEqualTo("red");
            assertThat((String) web.command("scan").json().get("output")).contains("apple = red");
            WebFixture.Reply put = web.command("put apple green");
            assertThat(put.status()).isEqualTo(400);
            assertThat(put.error()).contains("read-only");
            assertThat(web.command("load 5").status()).isEqualTo(400);
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(before);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"step1", "step2", "step3", "step4", "step5", "step6"})
    void readOnlyNeverChangesAByteOfAnyStepWhetherOrNotItCanOpen(String step) throws Exception {
        Path path = dir.resolve("store");
        var provider = Stores.providers().stream().filter(p -> p.name().equals(step)).findFirst().orElseThrow();
        try (var store = provider.open(path, Vfs.local())) {
            store.put("apple".getBytes(), "red".getBytes());
        }
        java.util.Map<String, String> before = snapshot();
        try (WebStore store = new WebStore(provider, path, new ReadOnlyDisk(Vfs.local()), Vfs.local(), true)) {
            assertThat(store.run("get apple").get("output")).isEqualTo("red");
            assertThat(store.run("scan").get("output").toString()).contains("apple = red");
        } catch (java.io.UncheckedIOException | dev.kvbook.api.StoreFailedException refused) {
            // this store writes when it opens (or closes): it cannot be shown read-only, and said so
            System.out.println(step + " read-only: " + refused);
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    private java.util.Map<String, String> snapshot() throws java.io.IOException {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        try (var all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), java.util.Arrays.toString(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    @Test
    void readOnlyWithoutAPathIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine(new KvCommand(new ByteArrayInputStream(new byte[0]), false));
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("web", "--read-only")).isEqualTo(2);
        assertThat(err.toString()).contains("--read-only needs --path");
    }

    private static Matcher waitForUrl(StringWriter out, CompletableFuture<Integer> running) throws InterruptedException {
        while (true) {
            Matcher url = URL.matcher(out.toString());
            if (url.find()) {
                return url;
            }
            assertThat(running).as(out.toString()).isNotDone();
            Thread.sleep(50);
        }
    }
}
