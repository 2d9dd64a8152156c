package dev.kvbook.whiteboard;

import dev.kvbook.api.*;
import dev.kvbook.api.vfs.*;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.*;

/**
 * Whiteboard step 4: a B+tree of order m in memory. Nodes hold at most m - 1 keys, all but the root at least
 * (m - 1) / 2; leaves hold the values, branches separators, all leaves at one depth. An overfull node splits
 * and passes a separator up (a new root when the root splits); an underfull one merges with a sibling, and the
 * result splits again if too full (that is borrowing). O(log n) a call. Durable only at {@code sync()} and
 * {@code close()}, which write the tree out whole as a {@link WhiteboardPickle} file, atomically: a crash loses
 * the writes since the last sync, never part of one. One lock ({@code synchronized}) around everything.
 *
 * <p>What the full step adds, and why: pages on disk through a bounded cache, so the tree needs neither all of
 * memory nor a rewrite per sync ({@code dev.kvbook.btree.FilePager}, {@code dev.kvbook.btree.BufferPool}).
 */
public final class WhiteboardBTree implements OrderedKeyValueStore {

    private static final class Node { // sorted keys; a leaf has a value per key, a branch a child more than keys
        final List<byte[]> keys = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        final List<Node> children = new ArrayList<>(); // child i holds the keys in [keys[i-1], keys[i])
        boolean leaf() { return children.isEmpty(); }
    }

    private final Vfs vfs;
    private final Path path;
    private final int order; // at most order - 1 keys a node
    private final Closeable lock;
    private Node root = new Node();
    private long size;
    private boolean dirty, closed; // dirty: changed since the file was written

    public WhiteboardBTree(Vfs vfs, Path path, int order) {
        if (order < 3) throw new IllegalArgumentException("the order must be at least 3, not " + order);
        this.vfs = vfs;
        this.path = StorePaths.storeFile(vfs, path);
        this.order = order;
        this.lock = vfs.lock(StorePaths.sibling(this.path, ".lock"));
        try {
            WhiteboardPickle.load(vfs, this.path).forEach(this::put);
            dirty = false;
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    @Override public synchronized byte[] get(byte[] key) {
        Limits.checkKey(key);
        Node n = live();
        while (!n.leaf()) n = n.children.get(child(n, key));
        int i = search(n.keys, key);
        return i >= 0 ? n.values.get(i).clone() : null;
    }

    @Override public synchronized void put(byte[] key, byte[] value) {
        Node top = new Node(); // put above the root: it becomes the root if the root splits, so the tree grows at the top
        top.children.add(live());
        insert(top, Limits.checkKey(key).clone(), Limits.checkValue(value).clone());
        if (!top.keys.isEmpty()) root = top;
        dirty = true;
    }

    private void insert(Node n, byte[] key, byte[] value) {
        int i = search(n.keys, key), c = child(n, key);
        if (n.leaf() && i >= 0) n.values.set(i, value);
        else if (n.leaf()) { n.keys.add(-i - 1, key); n.values.add(-i - 1, value); size++; }
        else insert(n.children.get(c), key, value);
        if (!n.leaf() && n.children.get(c).keys.size() >= order) splitChild(n, c);
    }

    private static void splitChild(Node parent, int c) { // the upper half of child c into a new sibling after it
        Node n = parent.children.get(c), right = new Node();
        int mid = n.keys.size() / 2;
        moveTail(n.keys, mid, right.keys);
        moveTail(n.values, mid, right.values);         // a leaf's values go with their keys,
        moveTail(n.children, mid + 1, right.children); // a branch's children too, one more than its keys
        parent.keys.add(c, n.leaf() ? right.keys.get(0) : right.keys.remove(0)); // a leaf copies it up, a branch moves it
        parent.children.add(c + 1, right);
    }

    @Override public synchronized boolean delete(byte[] key) {
        if (!remove(live(), Limits.checkKey(key))) return false;
        if (root.keys.isEmpty() && !root.leaf()) root = root.children.get(0); // the tree shrinks at the top
        dirty = true;
        return true;
    }

    private boolean remove(Node n, byte[] key) {
        int i = search(n.keys, key), c = child(n, key);
        if (n.leaf() && i >= 0) { n.keys.remove(i); n.values.remove(i); size--; }
        boolean found = n.leaf() ? i >= 0 : remove(n.children.get(c), key);
        if (found && !n.leaf() && n.children.get(c).keys.size() < (order - 1) / 2) mend(n, c);
        return found;
    }

    private void mend(Node parent, int c) { // merges the underfull child c with a sibling, splits if overfull
        int l = Math.max(c - 1, 0);
        Node left = parent.children.get(l), right = parent.children.remove(l + 1);
        if (left.leaf()) parent.keys.remove(l); else left.keys.add(parent.keys.remove(l)); // a branch pulls it down
        left.keys.addAll(right.keys); left.values.addAll(right.values); left.children.addAll(right.children);
        if (left.keys.size() >= order) splitChild(parent, l);
    }

    @Override public synchronized CloseableIterator<Entry> scan(byte[] from, byte[] to) {
        return Whiteboards.range(collect(live(), Limits.checkBound(from), Limits.checkBound(to), new TreeMap<>(Keys.COMPARATOR)), null, null);
    }

    /** Adds the entries below {@code n} in [from, to) to {@code out}, entering only the children that may hold some. */
    private static NavigableMap<byte[], byte[]> collect(Node n, byte[] from, byte[] to, NavigableMap<byte[], byte[]> out) {
        for (int i = 0; i < n.values.size(); i++) if (Keys.inRange(n.keys.get(i), from, to)) out.put(n.keys.get(i), n.values.get(i));
        for (int c = 0; c < n.children.size(); c++)
            if ((from == null || c == n.keys.size() || Keys.COMPARATOR.compare(n.keys.get(c), from) > 0)
                    && (to == null || c == 0 || Keys.COMPARATOR.compare(n.keys.get(c - 1), to) < 0)) collect(n.children.get(c), from, to, out);
        return out;
    }

    @Override public synchronized CloseableIterator<Entry> iterator() { return scan(null, null); }
    @Override public synchronized long size() { live(); return size; }

    @Override public synchronized void sync() { // writes the whole tree out, atomically, if it changed: O(n)
        Node all = live();
        if (dirty) WhiteboardPickle.save(vfs, path, collect(all, null, null, new TreeMap<>(Keys.COMPARATOR)));
        dirty = false;
    }

    @Override public synchronized StoreStats stats() {
        long bytes = vfs.readHead(path, Integer.MAX_VALUE).length; // reads the file to measure it: a whiteboard's way
        return new StoreStats("whiteboard-btree", size(), bytes > 0 ? 1 : 0, bytes, 0, Map.of("order", order));
    }

    @Override public synchronized void close() {
        if (!closed) { sync(); Closeables.closeUnchecked(lock, "the lock of " + path); }
        closed = true;
    }

    private Node live() { if (closed) throw new StoreClosedException("whiteboard B+tree " + path); return root; }
    private static int search(List<byte[]> keys, byte[] key) { return Collections.binarySearch(keys, key, Keys.COMPARATOR); }
    private static int child(Node n, byte[] key) { int i = search(n.keys, key); return i >= 0 ? i + 1 : -i - 1; }

    private static <T> void moveTail(List<T> from, int at, List<T> to) { // from[at..] to the end of to
        to.addAll(from.subList(Math.min(at, from.size()), from.size()));
        from.subList(Math.min(at, from.size()), from.size()).clear();
    }
}
