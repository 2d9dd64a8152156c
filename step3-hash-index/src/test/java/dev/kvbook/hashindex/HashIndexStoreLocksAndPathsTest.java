package dev.kvbook.hashindex;

import dev.kvbook.testkit.LocksAndPathsContract;

/** Locks and paths (the testkit's {@link LocksAndPathsContract}) for step 3, whose path names a directory of segments. */
class HashIndexStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "step3";
    }

    @Override
    protected Shape shape() {
        return Shape.DIRECTORY;
    }
}
