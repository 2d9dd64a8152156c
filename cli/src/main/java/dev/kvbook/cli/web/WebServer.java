package dev.kvbook.cli.web;

import dev.kvbook.api.JsonReader;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kvbook.api.Json;
import dev.kvbook.cli.Errors;
import dev.kvbook.cli.UsageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side of {@code kv web}: the JDK's own {@link HttpServer}, bound to the loopback address
 * only, serving the page (three static files from the jar) and a small JSON API over one
 * {@link WebStore} and its {@link CrashPlayback}.
 *
 * <h2>Who may talk to it</h2>
 * Binding to 127.0.0.1 keeps other machines out; it does not keep out other users of this
 * machine, nor a web page in the learner's own browser that guesses the port. So, as Jupyter does,
 * every request must carry a random token (128 bits from {@link SecureRandom}) that only the
 * printed URL holds: in the header {@value #TOKEN_HEADER} (how the page's script sends it) or as
 * the query parameter {@code token} (how the URL the learner opens sends it, and the page's
 * style sheet and script, whose links the server writes with it). Anything else is refused with
 * 403 before it is read. The token is compared in constant time.
 *
 * <h2>The API (JSON in, JSON out)</h2>
 * <ul>
 *   <li>{@code GET /api/info}: the store, its verbs and mode ({@link WebStore#info}).</li>
 *   <li>{@code GET /api/state}: the store's picture now ({@link WebStore#current}).</li>
 *   <li>{@code POST /api/command} {@code {"command": "put k v"}}: runs one command ({@link WebStore#run}).</li>
 *   <li>{@code POST /api/crash} {@code {}}: the crash points; {@code {"point": 7}}: what recovers
 *       from a crash there ({@link CrashPlayback}).</li>
 * </ul>
 * A bad request gets a 4xx and {@code {"error": "..."}} saying what is wrong, and has changed
 * nothing: a body over {@value #MAX_BODY} bytes (413), malformed JSON or a missing field (400), an
 * unknown or malformed command (400), a wrong method (405), an unknown path (404). A command the
 * store itself refuses as it runs (a failed store, a closed one) is a 409 with the store's message;
 * a bug in kvbook a 500.
 *
 * <p>Threads: a small pool serves requests; the store's commands still run one at a time
 * ({@link WebStore} is synchronized), and so do crash playbacks.
 */
public final class WebServer implements AutoCloseable {

    /** The header the page's script sends the token in. */
    public static final String TOKEN_HEADER = "X-Kv-Token";
    /** The largest request body accepted, in bytes: room for a command with a long value, no more. */
    public static final int MAX_BODY = 256 * 1024;
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService threads;
    private final WebStore store;
    private final CrashPlayback crashes;
    private final String token;

    private WebServer(HttpServer server, ExecutorService threads, WebStore store, CrashPlayback crashes, String token) {
        this.server = server;
        this.threads = threads;
        this.store = store;
        this.crashes = crashes;
        this.token = token;
    }

    /** Starts serving {@code store} on 127.0.0.1:{@code port} (0: any free port) with a new random token. */
    static WebServer start(WebStore store, CrashPlayback crashes, int port) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        try {
            // 127.0.0.1 by name, not getLoopbackAddress(), which may be ::1: the printed URL says 127.0.0.1.
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), port), 0);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
                Thread thread = new Thread(r, "kv-web");
                thread.setDaemon(true);
                return thread;
            });
            WebServer web = new WebServer(server, threads, store, crashes, token);
            server.createContext("/", web::handle);
            server.setExecutor(threads);
            server.start();
            return web;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address the server listens on (always a loopback address). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The token every request must carry. */
    public String token() {
        return token;
    }

    /** The URL to open: the page, with the token. */
    public String url() {
        return "http://127.0.0.1:" + address().getPort() + "/?token=" + token;
    }

    /** Stops serving (requests under way get a moment to finish). The store is closed by its owner. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                send(exchange, 403, error("missing or wrong token: open the URL kv web printed, token included"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/", "/index.html" -> staticFile(exchange, method, "index.html", "text/html; charset=utf-8");
                case "/app.js" -> staticFile(exchange, method, "app.js", "text/javascript; charset=utf-8");
                case "/style.css" -> staticFile(exchange, method, "style.css", "text/css; charset=utf-8");
                case "/api/info" -> api(exchange, method, "GET", body -> store.info());
                case "/api/state" -> api(exchange, method, "GET", body -> store.current());
                case "/api/command" -> api(exchange, method, "POST", body -> store.run(field(body, "command", String.class)));
                case "/api/crash" -> api(exchange, method, "POST", this::crash);
                default -> send(exchange, 404, error("no such page: " + path));
            }
        } catch (RuntimeException e) {
            // A bug: say so to the page rather than drop the connection.
            send(exchange, 500, error("unexpected error " + e + "; this is a bug in kvbook"));
        }
    }

    private Map<String, Object> crash(Map<String, Object> body) {
        Object point = body.get("point");
        if (point == null) {
            return crashes.points();
        }
        if (!(point instanceof Long number)) {
            throw new UsageException("\"point\" must be a whole number");
        }
        return crashes.recover(number);
    }

    private interface Endpoint {
        Map<String, Object> answer(Map<String, Object> body);
    }

    /** Reads and checks the body, runs {@code endpoint}, and sends its answer or the 4xx that says what was wrong. */
    private void api(HttpExchange exchange, String method, String allowed, Endpoint endpoint) throws IOException {
        if (!method.equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            send(exchange, 405, error(exchange.getRequestURI().getPath() + " takes " + allowed + ", not " + method));
            return;
        }
        Map<String, Object> body = Map.of();
        if (allowed.equals("POST")) {
            String text = readBody(exchange);
            if (text == null) {
                send(exchange, 413, error("the request body is over " + MAX_BODY + " bytes"));
                return;
            }
            Object parsed;
            try {
                parsed = JsonReader.parse(text);
            } catch (JsonReader.MalformedJsonException e) {
                send(exchange, 400, error(e.getMessage()));
                return;
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                send(exchange, 400, error("the body must be a JSON object, such as {\"command\": \"get k\"}"));
                return;
            }
            body = objectMap(map);
        }
        Map<String, Object> answer;
        try {
            answer = endpoint.answer(body);
        } catch (UsageException | IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            Errors.Problem problem = Errors.describe(e);
            send(exchange, problem.exitCode() == Errors.BUG ? 500 : 409, error(problem.message()));
            return;
        }
        send(exchange, 200, Json.write(answer));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectMap(Map<?, ?> map) {
        return (Map<String, Object>) map; // JsonReader's objects have string keys
    }

    private static <T> T field(Map<String, Object> body, String name, Class<T> type) {
        Object value = body.get(name);
        if (!type.isInstance(value)) {
            throw new UsageException("the body needs \"" + name + "\" as a " + (type == String.class ? "string" : type.getSimpleName())
                    + ", such as {\"command\": \"get k\"}");
        }
        return type.cast(value);
    }

    /** The body as UTF-8 text, or null when it is longer than {@link #MAX_BODY} (reading stops there). */
    private static String readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void staticFile(HttpExchange exchange, String method, String name, String type) throws IOException {
        if (!method.equals("GET")) {
            send(exchange, 405, error("the page is read with GET"));
            return;
        }
        byte[] content;
        try (InputStream in = WebServer.class.getResourceAsStream("/kv-web/" + name)) {
            if (in == null) {
                send(exchange, 500, error("the page's file " + name + " is missing from the jar; rebuild with ./kv"));
                return;
            }
            content = in.readAllBytes();
        }
        if (name.equals("index.html")) {
            // The page's own links carry the token, so its style sheet and script load like the page.
            content = new String(content, StandardCharsets.UTF_8).replace("__TOKEN__", token).getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        sendBytes(exchange, 200, content);
    }

    private boolean authorized(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (given == null) {
            given = queryParameter(exchange.getRequestURI(), "token");
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String error(String message) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("error", message);
        return Json.write(map);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        sendBytes(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
