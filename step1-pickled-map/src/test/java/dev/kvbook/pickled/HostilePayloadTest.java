package dev.kvbook.pickled;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Limits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamConstants;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static java.io.ObjectStreamConstants.TC_ARRAY;
import static java.io.ObjectStreamConstants.TC_CLASSDESC;
import static java.io.ObjectStreamConstants.TC_ENDBLOCKDATA;
import static java.io.ObjectStreamConstants.TC_NULL;
import static java.io.ObjectStreamConstants.TC_OBJECT;
import static java.io.ObjectStreamConstants.TC_REFERENCE;
import static java.io.ObjectStreamConstants.TC_STRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real hostile payloads handed straight to {@link Snapshot#deserialize}, as {@code decode} hands
 * over a payload whose header and CRCs all check out (so only the deserializer stands between
 * them and the JVM): foreign classes, a graph nested 100,000 deep, arrays declaring billions of
 * elements, and well-formed snapshots that break the record's rules. Every one must come back as
 * {@link CorruptionException}, and no foreign class may run any code. (Opening a store whose file
 * holds one is {@code PickledMapStoreTest}'s.)
 */
@Tag("lab:step1.deserialize")
class HostilePayloadTest {

    static final Path FILE = Path.of("hostile.pickle");
    static final int FIRST_HANDLE = ObjectStreamConstants.baseWireHandle;
    /** The serialVersionUID Java computes for byte[][] (offset 106 of the worked example). */
    static final long BYTE_ARRAY_ARRAY_UID = 0x4bfd19156767db37L;

    /** A class that would run code when deserialized; it counts instead. */
    static final class Tripwire implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static final AtomicInteger DESERIALIZED = new AtomicInteger();

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.incrementAndGet();
        }
    }

    @BeforeEach
    void resetTripwire() {
        Tripwire.DESERIALIZED.set(0);
    }

    static byte[] serialize(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    /**
     * The payload where a file holds it, after {@link PickledFormat#HEADER_SIZE} bytes (zeros here:
     * the deserializer reads only its own range), so the error must name the payload's offset.
     */
    static byte[] inFile(byte[] payload) {
        byte[] file = new byte[PickledFormat.PAYLOAD_OFFSET + payload.length];
        System.arraycopy(payload, 0, file, PickledFormat.PAYLOAD_OFFSET, payload.length);
        return file;
    }

    static Snapshot deserialize(byte[] payload) {
        return Snapshot.deserialize(FILE, inFile(payload), PickledFormat.PAYLOAD_OFFSET, payload.length);
    }

    static void assertRejected(byte[] payload, String messagePart) {
        assertThatThrownBy(() -> deserialize(payload))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.offset()).isEqualTo(PickledFormat.PAYLOAD_OFFSET);
                })
                .hasMessageContaining(messagePart);
        assertThat(Tripwire.DESERIALIZED).as("foreign code ran").hasValue(0);
    }

    /** Writes, by hand, TC_OBJECT and the class description of Snapshot: handles 0 (class) and 1 ("[[B"). */
    static DataOutputStream startSnapshot(ByteArrayOutputStream bytes) throws IOException {
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(ObjectStreamConstants.STREAM_MAGIC);
        out.writeShort(ObjectStreamConstants.STREAM_VERSION);
        out.writeByte(TC_OBJECT);
        out.writeByte(TC_CLASSDESC);
        out.writeUTF(Snapshot.class.getName());
        out.writeLong(1L);
        out.writeByte(ObjectStreamConstants.SC_SERIALIZABLE);
        out.writeShort(2);
        out.writeByte('[');
        out.writeUTF("keys");
        out.writeByte(TC_STRING);
        out.writeUTF("[[B");
        out.writeByte('[');
        out.writeUTF("values");
        out.writeByte(TC_REFERENCE);
        out.writeInt(FIRST_HANDLE + 1);
        out.writeByte(TC_ENDBLOCKDATA);
        out.writeByte(TC_NULL);
        return out;
    }

    @Test
    void theGoldenPayloadDeserializesToItsEntriesInOrder() throws IOException {
        Snapshot snapshot = deserialize(goldenPayload());
        assertThat(snapshot.toMap()).hasSize(2);
        assertThat(snapshot.toMap().firstKey()).isEqualTo(new byte[] {'a'});
        assertThat(snapshot.toMap().get(new byte[] {'a'})).isEqualTo(new byte[] {'1'});
        assertThat(snapshot.toMap().get(new byte[] {'b'})).isEmpty();
    }

    @Test
    void foreignClassInPayloadIsRejectedAsCorruption() throws IOException {
        Map<String, Object> gadget = new HashMap<>(Map.of("x", new Tripwire()));
        assertThat(Tripwire.DESERIALIZED).hasValue(0);
        assertRejected(serialize(gadget), "REJECTED");
    }

    @Test
    void foreignClassInsideASnapshotFieldIsNeverInstantiated() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = startSnapshot(bytes);
        out.writeByte(TC_OBJECT); // field keys: a Tripwire instead of a byte[][]
        out.writeByte(TC_CLASSDESC);
        out.writeUTF(Tripwire.class.getName());
        out.writeLong(1L);
        out.writeByte(ObjectStreamConstants.SC_SERIALIZABLE);
        out.writeShort(0);
        out.writeByte(TC_ENDBLOCKDATA);
        out.writeByte(TC_NULL);
        out.writeByte(TC_NULL); // field values
        assertRejected(bytes.toByteArray(), "REJECTED");
    }

    /** Without a depth bound this recursion would end in StackOverflowError, an Error nobody catches. */
    @Test
    void deeplyNestedPayloadIsRejectedWithoutStackOverflow() throws IOException {
        int depth = 100_000;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = startSnapshot(bytes);
        for (int i = 0; i < depth; i++) { // field keys of each snapshot: another snapshot
            out.writeByte(TC_OBJECT);
            out.writeByte(TC_REFERENCE);
            out.writeInt(FIRST_HANDLE);
        }
        for (int i = 0; i < depth + 2; i++) { // the innermost keys and values, then each outer values
            out.writeByte(TC_NULL);
        }
        assertRejected(bytes.toByteArray(), "REJECTED");
    }

    @Test
    void arrayDeclaringTwoBillionElementsIsRejectedBeforeAllocation() throws IOException {
        assertRejected(snapshotWithKeysArrayOfLength(Integer.MAX_VALUE), "REJECTED");
    }

    /** Within the value limit, but longer than the whole payload: it cannot be real, so nothing is allocated. */
    @Test
    void arrayLongerThanThePayloadIsRejectedBeforeAllocation() throws IOException {
        assertRejected(snapshotWithKeysArrayOfLength(Limits.MAX_VALUE_SIZE), "REJECTED");
    }

    private static byte[] snapshotWithKeysArrayOfLength(int length) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = startSnapshot(bytes);
        out.writeByte(TC_ARRAY);
        out.writeByte(TC_CLASSDESC);
        out.writeUTF("[[B");
        out.writeLong(BYTE_ARRAY_ARRAY_UID);
        out.writeByte(ObjectStreamConstants.SC_SERIALIZABLE);
        out.writeShort(0);
        out.writeByte(TC_ENDBLOCKDATA);
        out.writeByte(TC_NULL);
        out.writeInt(length); // and no elements follow
        return bytes.toByteArray();
    }

    @Test
    void aPayloadThatIsNotASnapshotIsCorruption() throws IOException {
        assertRejected(serialize(new byte[] {1, 2, 3}), "expected a Snapshot but found [B");
    }

    @Test
    void garbageThatIsNotASerializationStreamIsCorruption() {
        assertRejected("not a stream".getBytes(), "StreamCorruptedException");
        assertRejected(new byte[0], "EOFException");
    }

    /** A record is rebuilt through its canonical constructor, so its checks run on every load. */
    @Test
    void unsortedKeysAreRejectedByTheRecordConstructor() throws IOException {
        byte[] payload = goldenPayload();
        int a = indexOf(payload, new byte[] {0, 0, 0, 1, 'a'}) + 4;
        int b = indexOf(payload, new byte[] {0, 0, 0, 1, 'b'}) + 4;
        payload[a] = 'b';
        payload[b] = 'a';
        assertRejected(payload, "key 1 \"a\" is not after key 0 \"b\"");
    }

    @Test
    void mismatchedKeyAndValueCountsAreRejectedByTheRecordConstructor() throws IOException {
        byte[] golden = goldenPayload();
        // Cut the last value off (10 bytes) and say values.length = 1 (the last "00 00 00 02").
        byte[] payload = Arrays.copyOf(golden, golden.length - 10);
        int count = lastIndexOf(payload, new byte[] {0, 0, 0, 2});
        payload[count + 3] = 1;
        assertRejected(payload, "2 keys but 1 values");
    }

    @Test
    void trailingBytesAfterTheSnapshotAreCorruption() throws IOException {
        byte[] golden = goldenPayload();
        byte[] payload = Arrays.copyOf(golden, golden.length + 1);
        payload[golden.length] = TC_NULL;
        assertRejected(payload, "expected nothing after the snapshot");
    }

    private static byte[] goldenPayload() throws IOException {
        byte[] golden = PickledFormatTest.goldenBytes();
        return Arrays.copyOfRange(golden, PickledFormat.PAYLOAD_OFFSET, golden.length);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found: " + Arrays.toString(needle));
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found: " + Arrays.toString(needle));
    }
}
