package dev.kvbook.pickled;

import dev.kvbook.testkit.LocksAndPathsContract;

/** Locks and paths (the testkit's {@link LocksAndPathsContract}) for step 1, whose path names the one pickle file. */
class PickledMapStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "step1";
    }

    @Override
    protected Shape shape() {
        return Shape.FILE;
    }
}
