package dev.kvbook.testkit;

/** Openers for {@link ToyFileStore}, correct or with one flaw, for the harness self-tests. */
public final class ToyStores {

    /** The flaws a toy store can have. */
    public enum Flaw { SKIPS_FILE_SYNC, SKIPS_DIRECTORY_SYNC, IGNORES_CHECKSUM, WRITES_IN_PLACE, KEYS_LOCK_BY_PATH_AS_GIVEN,
        REWRITES_IN_PLACE_ON_RECOVERY }

    private ToyStores() {
    }

    public static StoreOpener correct() {
        return (vfs, home) -> new ToyFileStore(vfs, home, ToyFileStore.Flaw.NONE);
    }

    public static StoreOpener flawed(Flaw flaw) {
        return (vfs, home) -> new ToyFileStore(vfs, home, ToyFileStore.Flaw.valueOf(flaw.name()));
    }
}
