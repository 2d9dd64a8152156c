package dev.kvbook.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv put|get|del|scan|stats}: one thing per call, for scripts. */
class OneShotCommandsTest {

    @TempDir
    Path dir;

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void putThenGetPrintsTheValue() {
        String p = path("s1");
        assertThat(Kv.run("put", "--store", "step1", "--path", p, "greeting", "hello world").out()).isEqualTo("ok\n");
        Kv.Result get = Kv.run("get", "--store", "step1", "--path", p, "greeting");
        assertThat(get.exitCode()).isZero();
        assertThat(get.out()).isEqualTo("\"hello world\"\n");
    }

    @Test
    void storeIsDetectedFromTheFileWhenStoreIsLeftOut() {
        String p = path("s2");
        Kv.run("put", "--store", "step2", "--path", p, "k", "v");
        assertThat(Kv.run("get", "--path", p, "k").out()).isEqualTo("v\n");
        assertThat(Kv.run("stats", "-p", p).out()).containsPattern("store +step2\n").containsPattern("live keys +1\n");
    }

    @Test
    void getOfAMissingKeyPrintsNothingAndExitsWithOne() {
        String p = path("s1");
        Kv.run("put", "--store", "step1", "--path", p, "k", "v");
        Kv.Result get = Kv.run("get", "--path", p, "absent");
        assertThat(get.exitCode()).isEqualTo(Errors.FINDINGS);
        assertThat(get.out()).isEmpty();
        assertThat(get.err()).isEqualTo("kv get: no value under absent\n");
    }

    @Test
    void hexKeysAndValuesRoundTripAsHex() {
        String p = path("s1");
        Kv.run("put", "--store", "step1", "--path", p, "0x00ff", "0x0102");
        assertThat(Kv.run("get", "--path", p, "0x00ff").out()).isEqualTo("0x0102\n");
        assertThat(Kv.run("scan", "--path", p).out()).startsWith("0x00ff = 0x0102\n");
    }

    @Test
    void delSaysWhetherTheKeyWasThere() {
        String p = path("s2");
        Kv.run("put", "--store", "step2", "--path", p, "k", "v");
        assertThat(Kv.run("del", "--path", p, "k").out()).isEqualTo("deleted\n");
        assertThat(Kv.run("del", "--path", p, "k").out()).isEqualTo("(not found)\n");
        assertThat(Kv.run("get", "--path", p, "k").exitCode()).isEqualTo(Errors.FINDINGS);
    }

    @Test
    void scanOfAnOrderedStorePrintsTheRangeInKeyOrder() {
        String p = path("s1");
        for (String key : new String[]{"c", "a", "d", "b"}) {
            Kv.run("put", "--store", "step1", "--path", p, key, key.toUpperCase());
        }
        assertThat(Kv.run("scan", "--path", p, "b", "d").out()).isEqualTo("b = B\nc = C\n(2 entries, in key order)\n");
        assertThat(Kv.run("scan", "--path", p).out()).startsWith("a = A\nb = B\nc = C\nd = D\n");
    }

    @Test
    void scanOfAnUnorderedStoreListsEverythingButRefusesARange() {
        String p = path("s2");
        Kv.run("put", "--store", "step2", "--path", p, "x", "1");
        Kv.run("put", "--store", "step2", "--path", p, "y", "2");
        assertThat(Kv.run("scan", "--path", p).out()).contains("x = 1", "y = 2", "(2 entries, in the store's own order");
        Kv.Result ranged = Kv.run("scan", "--path", p, "a", "z");
        assertThat(ranged.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(ranged.err()).contains("keeps its keys in no order");
    }

    @Test
    void emptyValueIsShownQuoted() {
        String p = path("s1");
        Kv.run("put", "--store", "step1", "--path", p, "k", "");
        assertThat(Kv.run("get", "--path", p, "k").out()).isEqualTo("\"\"\n");
    }

    @Test
    void storesListsEveryRegisteredStoreWithItsDescription() {
        Kv.Result stores = Kv.run("stores");
        assertThat(stores.exitCode()).isZero();
        assertThat(stores.out()).contains("step1  pickled map", "step2  append-only log", "step6  log-structured merge tree",
                "its own operations: flush, compact");
    }

    @Test
    void noCommandPrintsTheUsage() {
        Kv.Result usage = Kv.run();
        assertThat(usage.exitCode()).isZero();
        assertThat(usage.out()).contains("tour", "crash-lab", "Exit codes");
    }
}
