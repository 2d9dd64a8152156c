package dev.kvbook.hashindex;

import org.junit.jupiter.api.Test;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class KeydirTest {

    @Test
    void keysCompareByContentNotByArrayIdentity() {
        Keydir keydir = new Keydir();
        keydir.put(utf8("k"), new Keydir.Location(1, 8, 20));
        assertThat(keydir.get(utf8("k"))).isEqualTo(new Keydir.Location(1, 8, 20));
    }

    @Test
    void theKeydirKeepsItsOwnCopyOfTheKey() {
        Keydir keydir = new Keydir();
        byte[] key = utf8("abc");
        keydir.put(key, new Keydir.Location(1, 8, 20));
        key[0] = 'x';
        assertThat(keydir.get(utf8("abc"))).isNotNull();
        assertThat(keydir.get(key)).isNull();
    }

    @Test
    void aPutReturnsWhereTheKeyPointedBefore() {
        Keydir keydir = new Keydir();
        assertThat(keydir.put(utf8("k"), new Keydir.Location(1, 8, 20))).isNull();
        assertThat(keydir.put(utf8("k"), new Keydir.Location(2, 8, 21))).isEqualTo(new Keydir.Location(1, 8, 20));
        assertThat(keydir.size()).isEqualTo(1);
    }

    @Test
    void replaceSucceedsOnlyWhenTheKeyStillPointsWhereExpected() {
        Keydir keydir = new Keydir();
        keydir.put(utf8("k"), new Keydir.Location(1, 8, 20));
        keydir.put(utf8("k"), new Keydir.Location(3, 8, 20)); // a write during the merge
        assertThat(keydir.replace(utf8("k"), new Keydir.Location(1, 8, 20), new Keydir.Location(2, 8, 20))).isFalse();
        assertThat(keydir.get(utf8("k"))).isEqualTo(new Keydir.Location(3, 8, 20));
    }

    @Test
    void removeForgetsTheKey() {
        Keydir keydir = new Keydir();
        keydir.put(utf8("k"), new Keydir.Location(1, 8, 20));
        assertThat(keydir.remove(utf8("k"))).isNotNull();
        assertThat(keydir.get(utf8("k"))).isNull();
        assertThat(keydir.remove(utf8("k"))).isNull();
    }

    @Test
    void theEstimatedBytesPerKeyGrowWithTheKeys() {
        Keydir keydir = new Keydir();
        keydir.put(new byte[16], new Keydir.Location(1, 8, 127));
        assertThat(keydir.estimatedBytesPerKey()).isEqualTo(Keydir.BYTES_PER_ENTRY + 16);
        keydir.put(new byte[1000], new Keydir.Location(1, 8, 1111));
        assertThat(keydir.estimatedBytesPerKey()).isEqualTo(Keydir.BYTES_PER_ENTRY + 512);
    }
}
