package dev.kvbook.bench;

import java.nio.ByteBuffer;

/**
 * An engine that only writes: the raw loops the bench measures as floors ({@link RawAppendContender},
 * {@link RawReplaceContender}). They store each put as the same bare record and cannot read it back.
 */
interface WriteFloorEngine extends Engine {

    /** What this floor is, for the messages of the calls it cannot answer. */
    String what();

    /** A put as the floors write it: {@code keyLength key valueLength value}, no checksum, no header. */
    static ByteBuffer record(byte[] key, byte[] value) {
        return ByteBuffer.allocate(4 + key.length + 4 + value.length)
                .putInt(key.length).put(key).putInt(value.length).put(value).flip();
    }

    @Override
    default byte[] get(byte[] key) {
        throw new UnsupportedOperationException(what() + " cannot read: it is a write floor");
    }

    @Override
    default int scan(byte[] fromInclusive, int count) {
        throw new UnsupportedOperationException(what() + " keeps no key order");
    }
}
