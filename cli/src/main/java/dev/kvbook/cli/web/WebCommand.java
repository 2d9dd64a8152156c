package dev.kvbook.cli.web;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.cli.Errors;
import dev.kvbook.cli.StoreLocator;
import dev.kvbook.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kv web}: a page in the browser that shows one store's insides and redraws them after every
 * command: the pages of the tree, the records of the log, the keydir, the frames, the levels; what
 * each command added, moved and freed; the path of the last {@code get}; and what each command
 * cost in I/O. See {@link WebServer} for the server and its token, {@link WebStore} for the commands.
 *
 * <p>Runs until Ctrl-C, then closes the store (and deletes the fresh store it made, if it made one).
 */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = {"Watch a store change in the browser: its pages, records, keydir, frames or levels, "
                + "redrawn after every command, with what it cost.", "",
                "Starts a small web server on this machine only (127.0.0.1) and prints the URL to open, "
                        + "with a secret token in it, as Jupyter does: only someone who has the URL can use the page. "
                        + "Type put, get, del, scan, load 200, begin/commit, compact, merge, checkpoint or flush on the page "
                        + "and see the store's files change; the crash panel plays a power cut at any I/O call of a "
                        + "small workload (in memory, never on your files) and shows what recovers.", "",
                "Stop it with Ctrl-C: the store is closed (a fresh store in a temporary directory is deleted)."},
        footer = {"", "Examples:",
                "  ./kv web                           a fresh step-4 B+tree, deleted on exit",
                "  ./kv web --store step3             step 3: keydir arrows into segments",
                "  ./kv web --path my.db              an existing store, its kind detected",
                "  ./kv web --path my.db --read-only  look without changing a byte"})
public final class WebCommand implements Callable<Integer> {

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "The kind of store: step1 ... step6 (default: step4, the B+tree, whose pages "
                    + "and lookup paths are the picture most worth watching; with --path, detected from the files).")
    private String storeName;

    @Option(names = {"-p", "--path"}, paramLabel = "PATH",
            description = "The store to open, existing or new, kept afterwards (default: a fresh store in a "
                    + "temporary directory, deleted on exit).")
    private Path path;

    @Option(names = "--read-only",
            description = "Only look: the page offers get, scan, stats and the picture, and not a byte of the "
                    + "store is written (files are opened through read-only channels). Needs an existing store "
                    + "that opens without writing: steps 1-4 after a clean close; steps 5 and 6 write when they open "
                    + "(a new log, a new manifest) and are refused with a message.")
    private boolean readOnly;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "The port on 127.0.0.1 (default 0: any free port; the URL says which).")
    private int port;

    @Spec
    private CommandSpec spec;

    /** Set by a test to stop the command, as Ctrl-C does for a person. */
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new UsageException("--port must be 0 to 65535, not " + port);
        }
        Path fresh = null;
        Path storePath = path;
        if (storePath == null) {
            if (readOnly) {
                throw new UsageException("--read-only needs --path: a fresh store has nothing to look at");
            }
            fresh = Files.createTempDirectory("kv-web-");
            storePath = fresh.resolve("store");
        }
        Vfs local = Vfs.local();
        StoreProvider provider;
        if (readOnly) {
            provider = StoreLocator.forOpen(storeName, storePath, true, local);
        } else {
            provider = storeName == null && !local.exists(storePath) ? StoreLocator.byName("step4")
                    : StoreLocator.forOpen(storeName, storePath, false, local);
        }
        WebStore store = openStore(provider, storePath, local);
        Path cleanup = fresh;
        Thread onExit = new Thread(() -> shutDown(store, cleanup), "kv-web-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        try (WebServer server = WebServer.start(store, new CrashPlayback(provider), port)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("kv web: the " + provider.name() + " store at " + storePath
                    + (fresh != null ? " (fresh; deleted on exit)" : "") + (readOnly ? ", read-only" : ""));
            out.println("open this URL in your browser (it holds the page's secret token):");
            out.println("  " + server.url());
            out.println("Ctrl-C stops the server and closes the store.");
            out.flush();
            stop.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it closes the store
            }
            shutDown(store, cleanup);
        }
        return 0;
    }

    /** Asks a running {@link #call()} to return, closing the store: a test's Ctrl-C. */
    void stop() {
        stop.countDown();
    }

    private WebStore openStore(StoreProvider provider, Path storePath, Vfs local) {
        if (!readOnly) {
            return new WebStore(provider, storePath, local, local, false);
        }
        try {
            return new WebStore(provider, storePath, new ReadOnlyDisk(local), local, true);
        } catch (RuntimeException e) {
            throw new UsageException("could not open the " + provider.name() + " store at " + storePath + " read-only: "
                    + Errors.describe(e).message() + " (a store that must write to open, to recover from a crash or to "
                    + "start a new log or segment, cannot be shown read-only; leave out --read-only, or open a copy)");
        }
    }

    private static void shutDown(WebStore store, Path fresh) {
        try {
            store.close();
        } finally {
            if (fresh != null) {
                deleteTree(fresh);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return; // deleted already: by the shutdown hook, or by the command's own end
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("kv web: could not delete " + root + ": " + e);
        }
    }
}
