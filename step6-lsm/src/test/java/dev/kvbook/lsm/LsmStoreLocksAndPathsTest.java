package dev.kvbook.lsm;

import dev.kvbook.testkit.LocksAndPathsContract;

/** Locks and paths, and the readers' rules (the testkit's {@link LocksAndPathsContract}) for step 6, whose path names a directory. */
class LsmStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "step6";
    }

    @Override
    protected Shape shape() {
        return Shape.DIRECTORY;
    }
}
