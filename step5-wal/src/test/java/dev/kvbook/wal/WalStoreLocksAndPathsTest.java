package dev.kvbook.wal;

import dev.kvbook.testkit.LocksAndPathsContract;

/** Locks and paths (the testkit's {@link LocksAndPathsContract}) for step 5, whose path names the data file (with {@code <file>-wal} beside it while open). */
class WalStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "step5";
    }

    @Override
    protected Shape shape() {
        return Shape.FILE;
    }
}
