package dev.kvbook.cli;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.whiteboard.Whiteboards;

import java.nio.file.Path;
import java.util.List;

/**
 * A whiteboard edition ({@code whiteboard/}) seen as a {@link StoreProvider}, for {@code kv tour
 * --whiteboard} only: it opens its store and nothing more. The whiteboards are not registered
 * providers on purpose (the names {@code step1} ... {@code step6} stay the steps'), so they have no
 * {@code verify} or {@code inspect}; their steps' providers do.
 */
final class WhiteboardProvider implements StoreProvider {

    private final Whiteboards.Whiteboard whiteboard;

    private WhiteboardProvider(Whiteboards.Whiteboard whiteboard) {
        this.whiteboard = whiteboard;
    }

    /** Every whiteboard edition, in step order. */
    static List<StoreProvider> all() {
        return Whiteboards.all().stream().<StoreProvider>map(WhiteboardProvider::new).toList();
    }

    /** The whiteboard edition called {@code name} ({@code WhiteboardLog}), or a usage error listing them. */
    static StoreProvider byName(String name) {
        return Whiteboards.find(name).<StoreProvider>map(WhiteboardProvider::new)
                .orElseThrow(() -> new UsageException("no whiteboard edition " + name + "; there are "
                        + String.join(", ", Whiteboards.all().stream().map(Whiteboards.Whiteboard::name).toList())));
    }

    /** The step this edition abridges ({@code step1} ... {@code step6}). */
    String abridges() {
        return whiteboard.abridges();
    }

    @Override
    public String name() {
        return whiteboard.name();
    }

    @Override
    public String description() {
        return whiteboard.idea() + " (" + whiteboard.abridges() + " in one file)";
    }

    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return whiteboard.open(vfs, path);
    }

    @Override
    public boolean durableOnEveryWrite() {
        return whiteboard.durableOnEveryWrite();
    }

    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        throw new UnsupportedOperationException(name() + " has no verify: kv verify runs its step's, "
                + whiteboard.abridges());
    }

    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        throw new UnsupportedOperationException(name() + " has no inspect: kv inspect runs its step's, "
                + whiteboard.abridges());
    }

    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return false;
    }
}
