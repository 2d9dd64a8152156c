package dev.kvbook.testkit;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;

/**
 * The toy store kept in one file ({@link ToyFileStore#atFile}), registered as {@code "toy"} so
 * that the process harness's child JVMs can open it by name; and its flawed twin, which keys its
 * lock by the path as given ({@link LockByGivenPath}). For the self-test of
 * {@link LocksAndPathsContract}.
 */
public class ToyStoreProvider implements StoreProvider {

    private final String name;
    private final ToyFileStore.Flaw flaw;

    public ToyStoreProvider() {
        this("toy", ToyFileStore.Flaw.NONE);
    }

    ToyStoreProvider(String name, ToyFileStore.Flaw flaw) {
        this.name = name;
        this.flaw = flaw;
    }

    /** The toy with the lock of kvbook before issue 16: by the path as given, no real path. */
    public static final class LockByGivenPath extends ToyStoreProvider {
        public LockByGivenPath() {
            super("toy-lock-by-given-path", ToyFileStore.Flaw.KEYS_LOCK_BY_PATH_AS_GIVEN);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "the testkit's toy store in one file (" + flaw + ")";
    }

    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return ToyFileStore.atFile(vfs, path, flaw);
    }

    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        throw new UnsupportedOperationException("the toy store has no checker");
    }

    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        throw new UnsupportedOperationException("the toy store has no inspector");
    }

    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return false;
    }
}
