package dev.kvbook.cli.web;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A learner's session on every step: 200 puts, deletes, each maintenance operation the store
 * offers, a transaction where there are transactions, a get, and a crash playback; every answer's
 * picture draws exactly the items its model holds, and the highlighted path is the get's.
 */
class WebStepsTest {

    private static final Pattern ITEM = Pattern.compile("<g class=\"item ([^\"]*)\" data-id=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"step1", "step2", "step3", "step4", "step5", "step6"})
    void aSessionOnEveryStepDrawsWhatTheStoreHolds(String step) {
        try (WebFixture web = WebFixture.open(step, dir)) {
            check(web.command("load 200"), 200);
            for (int i = 0; i < 200; i += 10) {
                check(web.command("del key" + String.format("%05d", i)), 180 + (200 - i) / 10 - 1);
            }
            for (String operation : web.provider.maintenanceOperations()) {
                WebFixture.Reply done = web.command(operation);
                assertThat(done.status()).as(operation + ": " + done.text()).isEqualTo(200);
                drawnMatchesModel(done);
            }
            if (Boolean.TRUE.equals(web.get("/api/info", web.server.token()).json().get("transactional"))) {
                check(web.command("begin"), 180);
                check(web.command("put fresh1 one"), 180);
                check(web.command("rollback"), 180);
                check(web.command("begin"), 180);
                check(web.command("put fresh2 two"), 180);
                check(web.command("commit"), 181);
                check(web.command("del fresh2"), 180);
            }
            WebFixture.Reply get = web.command("get key00042");
            check(get, 180);
            assertThat(get.json().get("output")).isEqualTo("value42");
            pathIsTheGets(get);

            WebFixture.Reply crashes = web.post("/api/crash", "{}", web.server.token());
            assertThat(crashes.status()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> points = (List<Map<String, Object>>) crashes.json().get("points");
            assertThat(points).isNotEmpty();
            WebFixture.Reply recovered = web.post("/api/crash", "{\"point\": " + points.size() / 2 + "}", web.server.token());
            assertThat(recovered.status()).as(recovered.text()).isEqualTo(200);
            assertThat(recovered.json()).containsEntry("outcome", points.get(points.size() / 2 - 1).get("outcome"));
            drawnMatchesModel(recovered);
        }
    }

    private static void check(WebFixture.Reply reply, long liveKeys) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.liveKeys()).isEqualTo(liveKeys);
        drawnMatchesModel(reply);
    }

    /** The picture has one {@code g.item} per item of the model, with the same ids. */
    @SuppressWarnings("unchecked")
    private static void drawnMatchesModel(WebFixture.Reply reply) {
        Map<String, Object> model = reply.map("model");
        String svg = (String) reply.json().get("svg");
        assertThat(svg).startsWith("<svg");
        if (model == null) {
            return; // a store without a structured model yet: the picture says so
        }
        List<String> modelIds = new ArrayList<>();
        for (Map<String, Object> region : (List<Map<String, Object>>) model.get("regions")) {
            for (Map<String, Object> item : (List<Map<String, Object>>) region.get("items")) {
                modelIds.add((String) item.get("id"));
            }
        }
        List<String> drawnIds = new ArrayList<>();
        Matcher items = ITEM.matcher(svg);
        while (items.find()) {
            drawnIds.add(items.group(2));
        }
        assertThat(drawnIds).containsExactlyInAnyOrderElementsOf(modelIds);
    }

    /** The items marked on-path are the get's lookup path, which ends at an item holding the key. */
    @SuppressWarnings("unchecked")
    private static void pathIsTheGets(WebFixture.Reply get) {
        Map<String, Object> model = get.map("model");
        if (model == null) {
            return;
        }
        Map<String, Object> lookup = (Map<String, Object>) model.get("lookup");
        assertThat(lookup).as("the get's lookup is in the model").isNotNull();
        assertThat(lookup.get("found")).isEqualTo(true);
        List<String> touched = (List<String>) lookup.get("touched");
        assertThat(touched).isNotEmpty();
        List<String> onPath = new ArrayList<>();
        Matcher items = ITEM.matcher((String) get.json().get("svg"));
        while (items.find()) {
            if (List.of(items.group(1).split(" ")).contains("on-path")) {
                onPath.add(items.group(2));
            }
        }
        assertThat(touched).containsAll(onPath);
        assertThat(onPath).contains(touched.get(touched.size() - 1));
    }
}
