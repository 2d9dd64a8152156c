package dev.kvbook.cli.web;

import dev.kvbook.api.JsonReader;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.Vfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** A {@code kv web} server on one store in a test's directory, and an HTTP client for it. */
final class WebFixture implements AutoCloseable {

    /** One answer: its status and its JSON body, parsed. */
    record Reply(int status, Map<String, Object> json, String text) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map(String name) {
            return (Map<String, Object>) json.get(name);
        }

        String error() {
            return (String) json.get("error");
        }

        long liveKeys() {
            return (Long) map("stats").get("liveKeys");
        }
    }

    final StoreProvider provider;
    final Path path;
    final WebStore store;
    final WebServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private WebFixture(StoreProvider provider, Path path, WebStore store) {
        this.provider = provider;
        this.path = path;
        this.store = store;
        this.server = WebServer.start(store, new CrashPlayback(provider), 0);
    }

    /** A server on a new store of kind {@code name} at {@code dir/store}. */
    static WebFixture open(String name, Path dir) {
        StoreProvider provider = Stores.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        Path path = dir.resolve("store");
        return new WebFixture(provider, path, new WebStore(provider, path, Vfs.local(), Vfs.local(), false));
    }

    /** A server over an already made {@link WebStore}. */
    static WebFixture over(StoreProvider provider, Path path, WebStore store) {
        return new WebFixture(provider, path, store);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
    }

    /** Runs {@code command} with the right token. */
    Reply command(String command) {
        return post("/api/command", "{\"command\": " + dev.kvbook.api.Json.string(command) + "}", server.token());
    }

    Reply post(String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header(WebServer.TOKEN_HEADER, token);
        }
        return send(request.build());
    }

    Reply get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header(WebServer.TOKEN_HEADER, token);
        }
        return send(request.build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            @SuppressWarnings("unchecked")
            Map<String, Object> json = type.startsWith("application/json") ? (Map<String, Object>) JsonReader.parse(response.body()) : Map.of();
            return new Reply(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
