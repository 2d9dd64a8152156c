package dev.kvbook.applog;

import dev.kvbook.testkit.LocksAndPathsContract;

/** Locks and paths (the testkit's {@link LocksAndPathsContract}) for step 2, whose path names the one log file. */
class AppendLogStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "step2";
    }

    @Override
    protected Shape shape() {
        return Shape.FILE;
    }
}
