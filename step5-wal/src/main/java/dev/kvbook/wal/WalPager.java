package dev.kvbook.wal;

import dev.kvbook.btree.Page;
import dev.kvbook.btree.Pager;
import dev.kvbook.btree.TreeMeta;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The step-4 tree's {@link Pager}, over one committed {@link Snapshot}: what lets step 5 reuse the
 * tree unchanged. A reader's pager only reads; a transaction's pager also writes, privately.
 *
 * <p><b>No-steal.</b> {@link #write} hands out a private copy of the committed page, and every
 * page a transaction changes stays in this pager's memory until the transaction commits (then
 * its pages go to the log) or rolls back (then they are simply dropped). Nothing uncommitted ever
 * reaches a file, so there is nothing to undo after a crash: recovery is redo-only. The price: a
 * transaction's changed pages must fit in memory.
 *
 * <p><b>Snapshots.</b> Pages not changed by the transaction are read as of its base snapshot, so
 * the tree sees one consistent state, whatever other threads publish meanwhile. Readers' pagers
 * are made per operation over the newest published snapshot; they never see a private page.
 *
 * <p>{@link #commit()} is the Pager's "one tree operation is done" (pages become read-only again
 * until the next {@code write}); the transaction's commit is {@link WalTransaction#commit}. Not
 * thread-safe: one pager serves one thread.
 */
final class WalPager implements Pager {

    private final CommittedPages pages;
    private final Snapshot base;
    private final boolean writable;
    private final Map<Integer, Page> dirty = new TreeMap<>();
    private int pageCount;
    private TreeMeta meta;

    private WalPager(CommittedPages pages, Snapshot base, boolean writable) {
        this.pages = pages;
        this.base = base;
        this.writable = writable;
        this.pageCount = base.pageCount();
        this.meta = base.meta();
    }

    /** A read-only pager over {@code snapshot}. */
    static WalPager reader(CommittedPages pages, Snapshot snapshot) {
        return new WalPager(pages, snapshot, false);
    }

    /** A transaction's pager: reads {@code base}, keeps its changes to itself. */
    static WalPager writer(CommittedPages pages, Snapshot base) {
        return new WalPager(pages, base, true);
    }

    @Override
    public Path file() {
        return pages.file();
    }

    @Override
    public int pageSize() {
        return pages.pageSize();
    }

    @Override
    public int pageCount() {
        return pageCount;
    }

    /** The private copy if this transaction changed the page, else the committed version. O(1) plus maybe one read. */
    @Override
    public Page read(int pageNumber) {
        Page own = dirty.get(pageNumber);
        return own != null ? own : pages.read(base, pageNumber);
    }

    /** A private, writable copy of the page (made on the first write of the transaction). */
    @Override
    public Page write(int pageNumber) {
        requireWritable();
        Page page = dirty.get(pageNumber);
        if (page == null) {
            page = pages.read(base, pageNumber).copy();
            dirty.put(pageNumber, page);
        }
        page.setWritable(true);
        return page;
    }

    /** A new zero-filled page after the last one, private to the transaction until commit. */
    @Override
    public Page extend() {
        requireWritable();
        Page page = new Page(pageCount, new byte[pageSize()]);
        pageCount++;
        page.setWritable(true);
        dirty.put(page.number(), page);
        return page;
    }

    /** A hint this pager ignores: with no-steal, a changed page stays until commit anyway. */
    @Override
    public void release(int pageNumber) {
    }

    @Override
    public TreeMeta meta() {
        return meta;
    }

    @Override
    public void setMeta(TreeMeta newMeta) {
        requireWritable();
        meta = newMeta;
    }

    /** Ends one tree operation: every private page is read-only again (Page's assertion catches a stray change). */
    @Override
    public void commit() {
        dirty.values().forEach(page -> page.setWritable(false));
    }

    /** Nothing to do: durability belongs to the transaction's commit, through the log. */
    @Override
    public void sync() {
    }

    @Override
    public void close() {
        dirty.clear();
    }

    /** Forgets every change of the transaction (a rollback): it is back to its base. O(1). */
    void discardChanges() {
        dirty.clear();
        pageCount = base.pageCount();
        meta = base.meta();
    }

    /** Whether the transaction changed anything. */
    boolean hasChanges() {
        return !dirty.isEmpty() || !meta.equals(base.meta());
    }

    /** The transaction's changed pages in page order: what its commit logs. */
    List<Page> dirtyPages() {
        return new ArrayList<>(dirty.values());
    }

    /** The committed state this pager reads beneath its own changes. */
    Snapshot base() {
        return base;
    }

    private void requireWritable() {
        if (!writable) {
            throw new IllegalStateException("a reader's snapshot is read-only; writes go through a transaction");
        }
    }
}
