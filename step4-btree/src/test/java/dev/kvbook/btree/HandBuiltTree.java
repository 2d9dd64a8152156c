package dev.kvbook.btree;

import dev.kvbook.testkit.vfs.CrashSimVfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tree put together page by page, for the tests of one lab at a time: leaves and branches
 * written by hand into a {@link FilePager} over {@link CrashSimVfs}, with none of the tree's own
 * algorithms (no search, no descent, no free list, no rebalancing). Keys are strings; cells are
 * inline.
 */
final class HandBuiltTree {

    static final int PAGE_SIZE = PageFormat.MIN_PAGE_SIZE;
    /** Under this many bytes in use, a page other than the root is under-full (a quarter of the usable bytes). */
    static final int MINIMUM_FILL = PageFormat.usableSize(PAGE_SIZE) / 4;

    final CrashSimVfs vfs = new CrashSimVfs();
    final FilePager pager;

    HandBuiltTree() {
        Path file = Path.of("/trees/tree.db");
        vfs.createDirectories(file.getParent());
        pager = FilePager.open(vfs, file, PAGE_SIZE, 100_000, false);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The inline cell of {@code key} with a value of {@code valueSize} bytes (each the key's last character). */
    static byte[] cell(String key, int valueSize) {
        byte[] value = new byte[valueSize];
        Arrays.fill(value, (byte) key.charAt(key.length() - 1));
        return LeafPage.inlineCell(bytes(key), value);
    }

    /** Cells for {@code keys}, each with a value of {@code valueSize} bytes. */
    static List<byte[]> cells(int valueSize, String... keys) {
        List<byte[]> cells = new ArrayList<>();
        for (String key : keys) {
            cells.add(cell(key, valueSize));
        }
        return cells;
    }

    /** {@code count} keys {@code prefix00}, {@code prefix01}, ... starting at {@code first}. */
    static String[] keys(String prefix, int first, int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = prefix + String.format("%02d", first + i);
        }
        return keys;
    }

    /** A new leaf page holding {@code cells} in order, with no right sibling yet. Returns its number. */
    int leaf(List<byte[]> cells) {
        LeafPage leaf = LeafPage.initialize(pager.extend());
        for (byte[] cell : cells) {
            if (!leaf.insert(leaf.count(), cell)) {
                throw new IllegalArgumentException("the cells do not fit in one page");
            }
        }
        return leaf.page().number();
    }

    /** A new leaf of {@code keys}, each with a one-byte value. */
    int leaf(String... keys) {
        return leaf(cells(1, keys));
    }

    /** A new branch page: {@code separators}, and one child more. Returns its number. */
    int branch(List<String> separators, Integer... children) {
        Page page = pager.extend();
        BranchPage.write(page, separators.stream().map(HandBuiltTree::bytes).toList(), List.of(children));
        return page.number();
    }

    /** Links the leaves left to right, as the leaf level of a tree is linked. */
    void link(int... leaves) {
        for (int i = 0; i + 1 < leaves.length; i++) {
            PageFormat.setLink(pager.write(leaves[i]), leaves[i + 1]);
        }
    }

    /** Makes {@code root} the root of a tree of {@code height} levels holding {@code keys} keys. */
    void root(int root, int height, long keys) {
        pager.setMeta(pager.meta().withRoot(root, height).withKeyCount(keys));
    }

    /** What {@link TreeChecker} finds wrong with the tree, its free list and its pages: empty when healthy. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        TreeChecker.checkTree(pager.meta(), pager.pageCount(), PAGE_SIZE, pager::read, problems);
        return problems;
    }

    /** Every key in the leaves, left to right: down the first children, then along the right links. */
    List<String> keysInOrder() {
        Page page = pager.read(pager.meta().rootPage());
        while (PageFormat.type(page) == PageFormat.TYPE_BRANCH) {
            page = pager.read(new BranchPage(page).child(0));
        }
        List<String> keys = new ArrayList<>();
        for (LeafPage leaf = new LeafPage(page); ; leaf = new LeafPage(pager.read(leaf.rightSibling()))) {
            for (int i = 0; i < leaf.count(); i++) {
                keys.add(new String(leaf.key(i), StandardCharsets.UTF_8));
            }
            if (leaf.rightSibling() == 0) {
                return keys;
            }
        }
    }

    /** The keys of the leaf {@code number}, in order. */
    List<String> keysOf(int number) {
        LeafPage leaf = new LeafPage(pager.read(number));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < leaf.count(); i++) {
            keys.add(new String(leaf.key(i), StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** The separators of the branch {@code number}, in order. */
    List<String> separatorsOf(int number) {
        BranchPage branch = new BranchPage(pager.read(number));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < branch.keyCount(); i++) {
            keys.add(new String(branch.key(i), StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** The children of the branch {@code number}, in order. */
    List<Integer> childrenOf(int number) {
        BranchPage branch = new BranchPage(pager.read(number));
        List<Integer> children = new ArrayList<>();
        for (int i = 0; i <= branch.keyCount(); i++) {
            children.add(branch.child(i));
        }
        return children;
    }
}
