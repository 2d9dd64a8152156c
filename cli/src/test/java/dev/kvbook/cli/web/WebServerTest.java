package dev.kvbook.cli.web;

import dev.kvbook.api.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The server's endpoints, its token, its refusals, and commands from many threads at once, on a step-4 store. */
class WebServerTest {

    @TempDir
    Path dir;

    private WebFixture web;

    @BeforeEach
    void start() {
        web = WebFixture.open("step4", dir);
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void everyRequestWithoutTheRightTokenIsRefusedWith403() {
        assertThat(web.get("/", null).status()).isEqualTo(403);
        assertThat(web.get("/api/info", null).status()).isEqualTo(403);
        assertThat(web.get("/api/info", "0".repeat(32)).status()).isEqualTo(403);
        assertThat(web.get("/app.js?token=wrong", null).status()).isEqualTo(403);
        assertThat(web.post("/api/command", "{\"command\": \"put k v\"}", null).status()).isEqualTo(403);
        WebFixture.Reply refused = web.post("/api/command", "{\"command\": \"put k v\"}", "nope");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).contains("token");
        assertThat(web.command("get k").json().get("output")).isEqualTo("(not found)");
    }

    @Test
    void theTokenIsAcceptedInTheHeaderOrTheQuery() {
        assertThat(web.get("/api/info", web.server.token()).status()).isEqualTo(200);
        assertThat(web.get("/api/info?token=" + web.server.token(), null).status()).isEqualTo(200);
        assertThat(web.server.url()).isEqualTo("http://127.0.0.1:" + web.server.address().getPort() + "/?token=" + web.server.token());
        assertThat(web.server.token()).matches("[0-9a-f]{32}");
    }

    @Test
    void thePageAndItsFilesAreServedWithTheTokenInTheirLinks() {
        WebFixture.Reply page = web.get("/?token=" + web.server.token(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<title>kv web</title>")
                .contains("app.js?token=" + web.server.token()).contains("style.css?token=" + web.server.token())
                .doesNotContain("__TOKEN__").doesNotContain("http://").doesNotContain("https://");
        assertThat(web.get("/app.js?token=" + web.server.token(), null).text()).contains("/api/command");
        assertThat(web.get("/style.css?token=" + web.server.token(), null).text()).contains("--added");
        assertThat(web.get("/nothing-here", web.server.token()).status()).isEqualTo(404);
    }

    @Test
    void infoSaysTheStoreAndItsVerbs() {
        WebFixture.Reply info = web.get("/api/info", web.server.token());
        assertThat(info.json()).containsEntry("store", "step4").containsEntry("readOnly", false).containsEntry("ordered", true);
        @SuppressWarnings("unchecked")
        List<String> verbs = (List<String>) info.json().get("verbs");
        assertThat(verbs).contains("put", "get", "del", "scan", "load", "inspect", "page").doesNotContain("begin");
    }

    @Test
    void aCommandAnswersWithItsResultTheModelThePictureItsCostAndTheFigures() {
        WebFixture.Reply put = web.command("put apple red");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json()).containsEntry("output", "ok").containsEntry("command", "put apple red");
        assertThat((Long) put.map("cost").get("bytesWritten")).isPositive();
        assertThat((Long) put.map("cost").get("syncs")).isPositive();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) put.map("cost").get("files");
        assertThat(files).extracting(f -> f.get("file")).contains("store");
        assertThat(files.stream().mapToLong(f -> (Long) f.get("bytesWritten")).sum()).isEqualTo(put.map("cost").get("bytesWritten"));
        assertThat(put.liveKeys()).isEqualTo(1);
        assertThat((String) put.json().get("svg")).startsWith("<svg");
        assertThat(put.json()).containsKeys("model", "highlight", "window", "inTransaction");

        WebFixture.Reply get = web.command("get apple");
        assertThat(get.json()).containsEntry("output", "red");
        assertThat((Long) get.map("cost").get("bytesWritten")).isZero();
        assertThat(get.map("window")).containsEntry("lookup", "apple");

        assertThat(web.command("del apple").json()).containsEntry("output", "deleted");
        assertThat(web.command("get apple").json()).containsEntry("output", "(not found)");
        assertThat(web.get("/api/state", web.server.token()).liveKeys()).isZero();
    }

    @Test
    void loadScanAndPageWork() {
        assertThat(web.command("load 200").json().get("output")).isEqualTo("loaded 200 keys (key00000 ... key00199)");
        WebFixture.Reply scan = web.command("scan key00010 key00013");
        assertThat((String) scan.json().get("output")).isEqualTo(
                "key00010 = value10\nkey00011 = value11\nkey00012 = value12\n(3 entries, in key order)");
        assertThat((String) web.command("scan").json().get("output")).contains("... and 100 more").endsWith("(200 entries, in key order)");
        WebFixture.Reply page = web.command("page 10 5");
        assertThat(page.map("window")).containsEntry("first", 10L).containsEntry("limit", 5L);
        assertThat(web.command("page 10 " + (dev.kvbook.api.inspect.Window.MAX_LIMIT + 1)).status()).isEqualTo(400);
    }

    @Test
    void badCommandsAre400WithAMessageAndChangeNothing() throws IOException {
        web.command("put apple red");
        Map<String, String> files = snapshot();
        String longKey = "k".repeat(Limits.MAX_KEY_SIZE + 1);
        assertRefused(web.command("put " + longKey + " v"), "key is 1025 bytes; the limit is 1024 bytes");
        assertRefused(web.command("frobnicate"), "unknown command 'frobnicate'");
        assertRefused(web.command("begin"), "unknown command 'begin'"); // step 4 has no transactions
        assertRefused(web.command("put onlykey"), "usage: put KEY VALUE");
        assertRefused(web.command("put 0xzz v"), "malformed hex");
        assertRefused(web.command("put \"open v"), "quote");
        assertRefused(web.command("load 0"), "out of range");
        assertRefused(web.command("load " + (WebStore.MAX_LOAD + 1)), "out of range");
        assertRefused(web.command("load many"), "not a whole number");
        assertRefused(web.command(""), "empty command");
        assertRefused(web.post("/api/command", "{\"command\": ", web.server.token()), "malformed JSON at offset");
        assertRefused(web.post("/api/command", "[\"put k v\"]", web.server.token()), "must be a JSON object");
        assertRefused(web.post("/api/command", "{\"cmd\": \"put k v\"}", web.server.token()), "needs \"command\"");
        assertRefused(web.post("/api/command", "{\"command\": 7}", web.server.token()), "needs \"command\"");
        assertThat(snapshot()).isEqualTo(files);
        assertThat(web.command("get apple").json().get("output")).isEqualTo("red");
    }

    @Test
    void anOversizeBodyIsRefusedWith413() throws IOException {
        Map<String, String> files = snapshot();
        String value = "v".repeat(WebServer.MAX_BODY);
        WebFixture.Reply reply = web.post("/api/command", "{\"command\": \"put k " + value + "\"}", web.server.token());
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error()).contains("over " + WebServer.MAX_BODY + " bytes");
        assertThat(snapshot()).isEqualTo(files);
    }

    @Test
    void aWrongMethodIs405() {
        assertThat(web.get("/api/command", web.server.token()).status()).isEqualTo(405);
        assertThat(web.post("/api/info", "{}", web.server.token()).status()).isEqualTo(405);
        HttpRequest delete = HttpRequest.newBuilder(web.uri("/?token=" + web.server.token())).DELETE().build();
        assertThat(web.send(delete).status()).isEqualTo(405);
    }

    @Test
    void crashPlaybackListsThePointsAndShowsStep4sRefusal() {
        WebFixture.Reply list = web.post("/api/crash", "{}", web.server.token());
        assertThat(list.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) list.json().get("points");
        assertThat(points).isNotEmpty();
        assertThat((List<?>) list.json().get("workload")).hasSize(CrashPlayback.OPS);
        Map<String, Object> refusedPoint = points.stream().filter(p -> p.get("outcome").equals("refused to open unclean"))
                .findFirst().orElseThrow();
        WebFixture.Reply refused = web.post("/api/crash", "{\"point\": " + refusedPoint.get("point") + "}", web.server.token());
        assertThat(refused.status()).isEqualTo(200);
        assertThat((String) refused.json().get("refused")).contains("not closed cleanly");
        assertThat(refused.json()).containsEntry("outcome", "refused to open unclean").containsKey("svg");

        Map<String, Object> intactPoint = points.stream().filter(p -> p.get("outcome").equals("intact"))
                .reduce((first, second) -> second).orElseThrow();
        WebFixture.Reply intact = web.post("/api/crash", "{\"point\": " + intactPoint.get("point") + "}", web.server.token());
        assertThat(intact.json()).containsEntry("refused", null).containsEntry("outcome", "intact");
        assertThat((List<?>) intact.json().get("entries")).isNotEmpty();

        assertRefused(web.post("/api/crash", "{\"point\": 0}", web.server.token()), "no crash point 0");
        assertRefused(web.post("/api/crash", "{\"point\": \"one\"}", web.server.token()), "whole number");
        assertThat(web.command("scan").json().get("output")).isEqualTo("(0 entries, in key order)"); // never the user's files
    }

    @Test
    void commandsFromManyThreadsAtOnceAllLand() throws Exception {
        int threads = 4;
        int perThread = 25; // 100 keys: a scan prints them all (WebStore.SCAN_SHOWN)
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<List<String>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String key = "t" + thread + "-" + i;
                        WebFixture.Reply put = web.command("put " + key + " v" + i);
                        WebFixture.Reply get = web.command("get " + key);
                        if (put.status() != 200 || !("v" + i).equals(get.json().get("output"))) {
                            problems.add(key + ": put " + put.status() + ", get " + get.json());
                        }
                    }
                    return problems;
                });
            }
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<String>> done : pool.invokeAll(work)) {
                problems.addAll(done.get());
            }
            assertThat(problems).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        WebFixture.Reply scan = web.command("scan");
        assertThat(scan.liveKeys()).isEqualTo((long) threads * perThread);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat((String) scan.json().get("output")).contains("t" + t + "-" + i + " = v" + i);
            }
        }
    }

    @Test
    void theServerListensOnLoopbackOnly() throws SocketException {
        InetSocketAddress bound = web.server.address();
        assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
        InetAddress outside = nonLoopbackAddress();
        assumeThat(outside).as("this machine has an address other than loopback to try").isNotNull();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(outside, bound.getPort()), 2000);
            }
        }).isInstanceOf(IOException.class);
    }

    private static InetAddress nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        return null;
    }

    private static void assertRefused(WebFixture.Reply reply, String message) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.error()).contains(message);
    }

    /** Every file under the test's directory and its bytes (as hex of a hash), the lock file left out. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".lock")).forEach(p -> {
                try {
                    files.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return files;
    }
}
