package dev.kvbook.hashindex;

/** The keydir's contract on {@link PlainKeydir}, the hash map of objects. */
class PlainKeydirTest extends KeydirTest {

    @Override
    protected Keydir newKeydir() {
        return new PlainKeydir();
    }
}
