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
 * lock by the path as given ({@link LockByGivenPath}), and another whose checker takes the
 * writer's lock ({@link VerifyAsWriter}). For the self-test of {@link LocksAndPathsContract}.
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

    /** The toy whose checker takes the writer's lock, as kvbook's did before issue 18. */
    public static final class VerifyAsWriter extends ToyStoreProvider {
        public VerifyAsWriter() {
            super("toy-verify-as-writer", ToyFileStore.Flaw.NONE);
        }

        @Override
        public VerifyReport verify(Path path, Vfs vfs) {
            return ToyChecker.verify(vfs, path, true);
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
        return ToyChecker.verify(vfs, path, false);
    }

    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return ToyChecker.inspect(vfs, path);
    }

    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return false;
    }
}
