package dev.kvbook.btree;

import dev.kvbook.testkit.LocksAndPathsContract;

/** Locks and paths (the testkit's {@link LocksAndPathsContract}) for step 4, whose path names the one page file. */
class BTreeStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "step4";
    }

    @Override
    protected Shape shape() {
        return Shape.FILE;
    }

    /** Step 4's crash promise: after a kill in mid-write, open refuses (no log to recover with). */
    @Override
    protected boolean aKillMayLeaveAStoreThatRefusesToOpen() {
        return true;
    }
}
