package dev.kvbook.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys and values typed as text or 0x hex, and printed so they can be typed back. */
class ByteArgsTest {

    @Test
    void textIsItsUtf8Bytes() {
        assertThat(ByteArgs.parse("héllo")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hexAfter0xIsBytes() {
        assertThat(ByteArgs.parse("0x00FFa0")).containsExactly(0x00, 0xff, 0xa0);
        assertThat(ByteArgs.parse("0x")).isEmpty();
    }

    @Test
    void malformedHexIsRefusedWithTheRule() {
        assertThatThrownBy(() -> ByteArgs.parse("0x123")).isInstanceOf(UsageException.class)
                .hasMessageContaining("even number of hex digits");
        assertThatThrownBy(() -> ByteArgs.parse("0xgg")).isInstanceOf(UsageException.class);
    }

    @Test
    void formatPrintsTextQuotedTextOrHexSoThatItParsesBack() {
        assertThat(ByteArgs.format("plain".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain");
        assertThat(ByteArgs.format("two words".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"two words\"");
        assertThat(ByteArgs.format(new byte[0])).isEqualTo("\"\"");
        assertThat(ByteArgs.format("0x41".getBytes(StandardCharsets.UTF_8))).isEqualTo("0x30783431");
        assertThat(ByteArgs.format(new byte[]{0, 1, (byte) 0xff})).isEqualTo("0x0001ff");
        assertThat(ByteArgs.format("tab\there".getBytes(StandardCharsets.UTF_8))).startsWith("0x");
        for (String typed : new String[]{"plain", "two words", "", "0x41", "say \"hi\" \\o/"}) {
            byte[] bytes = typed.getBytes(StandardCharsets.UTF_8);
            String word = ShellWords.split("get " + ByteArgs.format(bytes)).get(1);
            assertThat(ByteArgs.parse(word)).as(typed).isEqualTo(bytes);
        }
    }

    @Test
    void shellWordsKeepQuotedSpacesAndSkipComments() {
        assertThat(ShellWords.split("  put  k \"a b\" \"\"")).containsExactly("put", "k", "a b", "");
        assertThat(ShellWords.split("put k \"say \\\"hi\\\"\"")).containsExactly("put", "k", "say \"hi\"");
        assertThat(ShellWords.split("# put a b")).isEmpty();
        assertThatThrownBy(() -> ShellWords.split("put \"k")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unterminated quote");
    }
}
