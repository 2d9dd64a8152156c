package dev.kvbook.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonReaderTest {

    @Test
    void readsEveryKindOfValue() {
        Object value = JsonReader.parse(" {\"command\": \"put k v\", \"n\": -12, \"x\": 1.5e2, \"t\": true, \"f\": false,"
                + " \"z\": null, \"list\": [1, \"two\", [], {}]} ");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map).containsKey("z");
        assertThat(map.get("z")).isNull();
        assertThat(map.keySet()).containsExactly("command", "n", "x", "t", "f", "z", "list");
        assertThat(map).containsEntry("command", "put k v").containsEntry("n", -12L).containsEntry("x", 150.0)
                .containsEntry("t", true).containsEntry("f", false)
                .containsEntry("list", List.of(1L, "two", List.of(), Map.of()));
    }

    @Test
    void decodesEscapesAndSurrogatePairs() {
        assertThat(JsonReader.parse("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\"")).isEqualTo("a\"b\\c/d\n\té\uD83D\uDE00");
    }

    @Test
    void aNumberTooLongForALongIsADouble() {
        assertThat(JsonReader.parse("123456789012345678901234567890")).isInstanceOf(Double.class);
        assertThat(JsonReader.parse("0")).isEqualTo(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\" 1}", "{a:1}", "01", "1.", "-", ".5",
            "1e", "tru", "nul", "\"unterminated", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
            "\"\\udc00\"", "{\"a\":1} x", "[1 2]", "// comment\n1", "{\"a\":1,\"a\":2}", "NaN", "+1"})
    void refusesWhatRfc8259DoesNot(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(JsonReader.MalformedJsonException.class)
                .hasMessageStartingWith("malformed JSON at offset ");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonReader.parse(deep)).hasMessageContaining("nested deeper than");
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
    }

    @Test
    void saysWhereTheErrorIs() {
        assertThatThrownBy(() -> JsonReader.parse("{\"command\": put}")).hasMessage(
                "malformed JSON at offset 12: unexpected character 'p' where a value should be");
    }
}
