package dev.kvbook.btree;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Choosing the child of a branch page that may hold a key ({@link BranchPage#childIndexFor}), on
 * pages filled by hand: child {@code i} holds the keys from separator {@code i - 1} (inclusive) up
 * to separator {@code i} (exclusive), in unsigned byte order.
 */
@Tag("lab:step4.branch-search")
class BranchSearchTest {

    /** A branch page (not in any file) with {@code separators}; child {@code i} is page {@code 100 + i}. */
    static BranchPage branchOf(byte[]... separators) {
        Page page = new Page(1, new byte[HandBuiltTree.PAGE_SIZE]);
        page.setWritable(true);
        List<Integer> children = new ArrayList<>();
        for (int i = 0; i <= separators.length; i++) {
            children.add(100 + i);
        }
        BranchPage.write(page, List.of(separators), children);
        return new BranchPage(page);
    }

    static byte[] b(String text) {
        return HandBuiltTree.bytes(text);
    }

    @Test
    void aKeyBetweenTwoSeparatorsGoesToTheChildBetweenThem() {
        BranchPage branch = branchOf(b("c"), b("f"));
        assertThat(branch.childIndexFor(b("a"))).isEqualTo(0);
        assertThat(branch.childIndexFor(b("d"))).isEqualTo(1);
        assertThat(branch.childIndexFor(b("z"))).isEqualTo(2);
        assertThat(branch.child(branch.childIndexFor(b("z")))).as("the last child, kept in the link").isEqualTo(102);
    }

    @Test
    void aKeyEqualToASeparatorGoesRightOfIt() {
        BranchPage branch = branchOf(b("c"), b("f"));
        assertThat(branch.childIndexFor(b("c"))).isEqualTo(1);
        assertThat(branch.childIndexFor(b("f"))).isEqualTo(2);
    }

    @Test
    void aBranchWithNoSeparatorSendsEveryKeyToItsOnlyChild() {
        BranchPage branch = branchOf();
        assertThat(branch.childIndexFor(b("anything"))).isEqualTo(0);
        assertThat(branch.childIndexFor(new byte[0])).isEqualTo(0);
    }

    @Test
    void bytesCompareUnsignedAndAKeyLongerThanASeparatorItStartsWithGoesRight() {
        BranchPage branch = branchOf(new byte[] {0x7F}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0x80, 0x10});
        assertThat(branch.childIndexFor(new byte[0])).isEqualTo(0);
        assertThat(branch.childIndexFor(new byte[] {(byte) 0x90})).as("0x90 is above 0x80, not negative").isEqualTo(3);
        assertThat(branch.childIndexFor(new byte[] {(byte) 0x80, 0x00})).isEqualTo(2);
        assertThat(branch.childIndexFor(new byte[] {0x7F, 0x00})).isEqualTo(1);
    }

    @Test
    void everyKeyAgreesWithALinearScanOverManySeparators() {
        List<byte[]> separators = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            separators.add(new byte[] {(byte) (3 * i / 256), (byte) (3 * i)}); // multiples of 3, big-endian
        }
        BranchPage branch = branchOf(separators.toArray(byte[][]::new));
        for (int n = 0; n <= 3 * 301; n++) {
            byte[] key = {(byte) (n / 256), (byte) n};
            int expected = 0;
            while (expected < separators.size() && Arrays.compareUnsigned(key, separators.get(expected)) >= 0) {
                expected++;
            }
            assertThat(branch.childIndexFor(key)).as("key %d", n).isEqualTo(expected);
        }
    }
}
