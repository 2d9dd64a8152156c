package dev.kvbook.cli;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * One open store and what a person can do to it: the verbs behind the shell and the one-shot
 * commands ({@code put}, {@code get}, {@code del}, {@code scan}, {@code stats}, {@code sync},
 * {@code inspect}, {@code verify}, the store's own maintenance operations, and
 * {@code begin}/{@code commit}/{@code rollback} on a transactional store).
 *
 * <p>While a transaction is open, {@code put}, {@code get}, {@code del} and {@code scan} go
 * through it, so they see its writes; everything else waits for it to end.
 *
 * <p>With {@code uncleanReadOnly}, a store that was not closed cleanly and would refuse to open
 * (step 4) is opened read-only instead ({@link StoreProvider#openUncleanReadOnly}).
 */
final class Session implements AutoCloseable {

    private final StoreProvider provider;
    private final Path path;
    private final Vfs vfs;
    private final boolean uncleanReadOnly;
    private final PrintWriter out;
    private KeyValueStore store;
    private Transaction transaction;
    private int transactionWrites; // puts and deletes in the open transaction, to say what a rollback loses

    private Session(StoreProvider provider, Path path, Vfs vfs, boolean uncleanReadOnly, PrintWriter out) {
        this.provider = provider;
        this.path = path;
        this.vfs = vfs;
        this.uncleanReadOnly = uncleanReadOnly;
        this.out = out;
        this.store = openStore();
    }

    /** Opens the store at {@code path} on the real disk with {@code provider}; results are printed to {@code out}. */
    static Session open(StoreProvider provider, Path path, PrintWriter out) {
        return open(provider, path, Vfs.local(), false, out);
    }

    /**
     * Opens the store at {@code path} on {@code vfs} with {@code provider}, read-only if it was not
     * closed cleanly and {@code uncleanReadOnly}; results are printed to {@code out}.
     */
    static Session open(StoreProvider provider, Path path, Vfs vfs, boolean uncleanReadOnly, PrintWriter out) {
        return new Session(provider, path, vfs, uncleanReadOnly, out);
    }

    /** Opens the store as this session was asked to: plainly, or with {@link StoreProvider#openUncleanReadOnly}. */
    private KeyValueStore openStore() {
        if (!uncleanReadOnly) {
            return provider.open(path, vfs);
        }
        try {
            return provider.openUncleanReadOnly(path, vfs);
        } catch (UnsupportedOperationException noSuchMode) { // the provider's default: it repairs on open instead
            throw new UsageException(noSuchMode.getMessage() + "; leave out " + UncleanReadOnlyOption.NAME);
        }
    }

    StoreProvider provider() {
        return provider;
    }

    Path path() {
        return path;
    }

    /** Whether the store keeps its keys in order, so it can scan a range. */
    boolean ordered() {
        return store() instanceof OrderedKeyValueStore;
    }

    /** Whether the store has transactions. */
    boolean transactional() {
        return store() instanceof TransactionalStore;
    }

    /** Whether a transaction is open. */
    boolean inTransaction() {
        return transaction != null;
    }

    /** Stores {@code value} under {@code key} (in the open transaction, if any). */
    void put(byte[] key, byte[] value) {
        if (transaction != null) {
            transaction.put(key, value);
            transactionWrites++;
        } else {
            store().put(key, value);
        }
    }

    /** The value under {@code key} (as the open transaction sees it, if any), or null. */
    byte[] get(byte[] key) {
        return transaction != null ? transaction.get(key) : store().get(key);
    }

    /** Deletes {@code key}; returns whether it was there. */
    boolean delete(byte[] key) {
        if (transaction != null) {
            transactionWrites++;
            return transaction.delete(key);
        }
        return store().delete(key);
    }

    /**
     * Prints the entries with keys in {@code [from, to)} ({@code null}: unbounded), one
     * {@code key = value} per line, then their count. A store without key order can only list
     * everything, in its own order. Returns the count.
     */
    long scan(byte[] from, byte[] to) {
        KeyValueStore open = store();
        boolean bounded = from != null || to != null;
        if (bounded && !(open instanceof OrderedKeyValueStore)) {
            throw new UsageException(provider.name() + " keeps its keys in no order, so it cannot scan a range; "
                    + "'scan' with no bounds lists every key");
        }
        long count = 0;
        try (CloseableIterator<Entry> entries = entries(open, from, to)) {
            while (entries.hasNext()) {
                Entry entry = entries.next();
                out.println(ByteArgs.format(entry.key()) + " = " + ByteArgs.format(entry.value()));
                count++;
            }
        }
        out.println("(" + count + (count == 1 ? " entry" : " entries")
                + (open instanceof OrderedKeyValueStore ? ", in key order)" : ", in the store's own order: it keeps no key order)"));
        return count;
    }

    /** The entries to scan: through the open transaction, the store's key order, or its own order. */
    private CloseableIterator<Entry> entries(KeyValueStore open, byte[] from, byte[] to) {
        if (transaction != null) {
            return transaction.scan(from, to);
        }
        return open instanceof OrderedKeyValueStore ordered ? ordered.scan(from, to) : open.iterator();
    }

    /** Prints the store's figures, one per line, and says whose counters they are. */
    void stats() {
        StoreStats stats = noTransaction("stats").stats();
        StatsText.lines(stats).forEach(out::println);
        Text.print(out, "", StatsText.COUNTERS_NOTE);
    }

    /** Makes every write so far durable. */
    void sync() {
        noTransaction("sync").sync();
        out.println("synced: every write so far is durable");
    }

    /** Prints the store's layout as text. Closes and reopens the store if the inspector needs the lock. */
    void inspect() {
        noTransaction("inspect");
        try {
            Text.printBlock(out, provider.inspect(path, vfs).text());
        } catch (StoreLockedException e) {
            reopenAround(() -> Text.printBlock(out, provider.inspect(path, vfs).text()));
        }
    }

    /**
     * Runs the store's checker. The checker takes the store's lock, so the store is closed for it
     * and opened again afterwards, and closing does what a close does (step 5 checkpoints its log
     * into the data file and deletes it): the report is of the files as that close left them, and
     * says so first. Returns whether clean.
     */
    boolean verify() {
        noTransaction("verify");
        VerifyReport[] report = new VerifyReport[1];
        reopenAround(() -> report[0] = provider.verify(path, vfs));
        out.println("verified the files as closing the store left them (the store is open again):");
        Text.printBlock(out, report[0].toString());
        return report[0].isClean();
    }

    /** Runs the store's own operation {@code name} (compact, merge, checkpoint...). */
    void maintenance(String name) {
        out.println(provider.runMaintenance(noTransaction(name), name));
    }

    /** Starts a transaction: the next writes become durable together, at commit. */
    void begin() {
        if (!(store() instanceof TransactionalStore transactional)) {
            throw new UsageException(provider.name() + " has no transactions: every write stands on its own");
        }
        if (transaction != null) {
            throw new UsageException("a transaction is already open: commit or rollback first");
        }
        transaction = transactional.begin();
        transactionWrites = 0;
        out.println("transaction started: put, get, del and scan now go through it");
    }

    /** Commits the open transaction. */
    void commit() {
        requireTransaction("commit").commit();
        transaction = null;
        out.println("committed: its writes are durable and visible");
    }

    /** Rolls back the open transaction. */
    void rollback() {
        requireTransaction("rollback").rollback();
        transaction = null;
        out.println("rolled back: its writes are forgotten");
    }

    /** The puts and deletes made in the open transaction so far (0 when none is open). */
    int transactionWrites() {
        return transaction == null ? 0 : transactionWrites;
    }

    /** Rolls back any open transaction and closes the store (flushing it). */
    @Override
    public void close() {
        try {
            if (transaction != null) {
                transaction.close();
                transaction = null;
            }
        } finally {
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }

    private KeyValueStore store() {
        if (store == null) {
            throw new UsageException("the store is closed: it could not be reopened after the last command; "
                    + "quit and check it with 'kv verify " + path + "'");
        }
        return store;
    }

    private KeyValueStore noTransaction(String verb) {
        if (transaction != null) {
            throw new UsageException("'" + verb + "' waits for the open transaction: commit or rollback first");
        }
        return store();
    }

    private Transaction requireTransaction(String verb) {
        if (transaction == null) {
            throw new UsageException("no transaction is open to " + verb + ": 'begin' starts one");
        }
        return transaction;
    }

    /** Closes the store, runs {@code work} (which needs the store's lock), and opens it again. */
    private void reopenAround(Runnable work) {
        store().close();
        store = null;
        try {
            work.run();
        } finally {
            store = openStore();
        }
    }
}
