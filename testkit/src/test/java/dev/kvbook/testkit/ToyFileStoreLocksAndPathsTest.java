package dev.kvbook.testkit;

/** Locks and paths against the correct toy store in one file: the category passes a store that follows the rule. */
class ToyFileStoreLocksAndPathsTest extends LocksAndPathsContract {

    @Override
    protected String storeName() {
        return "toy";
    }

    @Override
    protected Shape shape() {
        return Shape.FILE;
    }
}
