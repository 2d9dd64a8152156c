package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Closeables;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;
import dev.kvbook.applog.LogWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Merge, in the Bitcask paper's words: copy the live records of the sealed segments into new
 * segments (with hint files), switch the keydir over, delete the old segments. It reclaims the
 * garbage that overwrites and deletes leave behind.
 *
 * <h2>The protocol, and why each step is where it is</h2>
 * <ol>
 * <li><b>Plan</b> (store's write lock, {@link HashIndexStore#merge}): seal the active segment,
 *     so the inputs are every segment there is: numbers {@code lo..a}. Reserve the numbers
 *     {@code a+1 .. a+n} ({@code n} = number of inputs) for the output, and start the new active
 *     segment at {@code a+n+1}. The output is then newer than every input and older than every
 *     write made during or after the merge, so "newest wins by (segment, offset)" stays right.</li>
 * <li><b>Copy</b> (no store lock; gets and puts go on): read each input oldest first; a PUT the
 *     keydir still points at is live and is appended to the output, in the same order. Each
 *     output is written as {@code NNNNNN.data.tmp}, fsynced, renamed to {@code NNNNNN.data}, the
 *     directory fsynced, then its hint file written the same way. A crash before a rename leaves
 *     only a {@code .tmp}, which open deletes. A crash after it leaves a complete output beside
 *     complete inputs: it holds copies of the inputs' newest live records and is newer than
 *     them, so the keys come out the same.</li>
 * <li><b>Switch</b> (store's write lock and the readers' lock): point each copied key at its
 *     copy, unless a write during the copy moved it on ({@link Keydir#replace}); forget the
 *     inputs and close their handles.</li>
 * <li><b>Delete</b> the inputs <em>oldest first</em>, fsyncing the directory after each. After a
 *     crash here the inputs left are the newest ones. A key deleted before the merge has its
 *     tombstone in the newest input that mentions it, so whenever an older input still holds an
 *     old value of the key, the tombstone is still there too: nothing deleted comes back.</li>
 * </ol>
 *
 * <h2>Tombstones</h2>
 * A tombstone is needed only while an older segment may still hold a value it hides. The inputs
 * are every segment older than the output, so once the inputs are gone no older segment holds
 * anything: the output needs no tombstone, and the merge drops them all (with the superseded
 * records). Tombstones written to the active segment during the merge stay; they are not
 * inputs. A merge of only some of the segments would have to keep the tombstones of keys that
 * an older segment outside the merge still holds; {@link MergeRunner} asserts it never plans one.
 *
 * <h2>Output numbers</h2>
 * The output rolls to its next number at the rollover size, like the active segment. It never
 * needs more numbers than there are inputs: each input was sealed at the latest when it reached
 * the rollover size (some earlier), and the live records, a subsequence of the inputs' records in
 * the same order, never fill more segments of that size than the records did. Should that ever
 * not hold (the store was reopened with a smaller rollover size), the last reserved number simply
 * takes the rest: a larger segment, never a wrong order.
 */
final class Merge {

    /**
     * A merge to do.
     *
     * @param inputs        the segments to merge, oldest first: every segment but the new active one
     * @param firstOutputId the first reserved number
     * @param lastOutputId  the last reserved number (below the new active segment)
     */
    record Plan(List<Segment> inputs, int firstOutputId, int lastOutputId) {
        Plan {
            inputs = List.copyOf(inputs);
            assert !inputs.isEmpty() && inputs.get(inputs.size() - 1).id() < firstOutputId
                    && firstOutputId <= lastOutputId : "output numbers must lie above the inputs";
        }
    }

    /** One record copied: the key, where it was, and where its copy is. */
    record Copied(byte[] key, Keydir.Location from, Keydir.Location to) {
    }

    /** What the copy produced: the output segments (open, oldest first) and the records copied. */
    record Output(List<Segment> segments, List<Copied> copied, long bytesWritten) {
    }

    private Merge() {
    }

    /**
     * Step 2: copies the live records of the inputs into new, durable, published segments and
     * their hint files. O(input bytes) read, O(live bytes) written; per output two fsyncs for the
     * data file and two for its hint.
     */
    static Output copyLive(Vfs vfs, Path dir, Keydir keydir, Plan plan, long segmentSize, boolean writeHints) {
        // BUILD:BEGIN step3.build-hints-merge — Copy the live records of the plan's inputs into durable, published output segments with their hints
        // LAB:BEGIN step3.merge-copy — Merge: copy only the live records of the input segments into new segments and their hint files
        // Invariant: the inputs reach back to the oldest segment, so dropping tombstones is safe.
        List<Segment> outputs = new ArrayList<>();
        List<Copied> copied = new ArrayList<>();
        long written = 0;
        OutputFile out = null;
        int nextId = plan.firstOutputId();
        for (Segment input : plan.inputs()) {
            LogReader reader = input.reader();
            for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                Keydir.Location from = new Keydir.Location(input.id(), Math.toIntExact(record.offset()), record.size());
                if (record.isTombstone() || !from.equals(keydir.get(record.key()))) {
                    continue; // garbage: superseded, deleted, or a tombstone no longer needed
                }
                if (out == null || (out.writer.end() >= segmentSize && nextId <= plan.lastOutputId())) {
                    if (out != null) {
                        outputs.add(out.finish(writeHints));
                    }
                    out = OutputFile.start(vfs, dir, nextId++);
                }
                LogWriter.Appended at = out.writer.append(LogFormat.TYPE_PUT, record.key(), record.value());
                out.entries.add(new HintFormat.Entry(LogFormat.TYPE_PUT, record.key(), at.offset(), at.size()));
                copied.add(new Copied(record.key(), from, new Keydir.Location(out.id, Math.toIntExact(at.offset()), at.size())));
                written += at.size();
            }
            if (reader.stop() != LogReader.Stop.CLEAN_END) {
                closeQuietly(out);
                throw reader.damage(); // a sealed segment is whole: anything else is damage
            }
        }
        if (out != null) {
            outputs.add(out.finish(writeHints));
        }
        return new Output(outputs, copied, written);
        // LAB:END
        // BUILD:END
    }

    /**
     * Step 3: points the keydir at the copies and swaps the segment sets. The caller holds the
     * store's write lock and the readers' lock. O(records copied + inputs).
     */
    static void switchOver(Keydir keydir, Segments segments, Plan plan, Output output) {
        output.segments().forEach(segments::add);
        for (Copied c : output.copied()) {
            if (keydir.replace(c.key(), c.from(), c.to())) {
                segments.get(c.to().segment()).addLive(c.to().size());
                segments.get(c.from().segment()).addLive(-c.from().size());
            }
        }
        Set<Integer> inputIds = new HashSet<>();
        plan.inputs().forEach(s -> inputIds.add(s.id()));
        // Invariant: new writes go to the active segment only, so every key that pointed into an
        // input when the copy passed it was copied; now none points into an input.
        assert !keydir.pointsInto(inputIds) : "a key still points into a merged segment";
        for (Segment input : plan.inputs()) {
            segments.remove(input);
            input.close();
        }
    }

    /** Step 4: deletes the inputs and their hints, oldest first, one directory fsync each. */
    static void deleteInputs(Vfs vfs, Path dir, Plan plan) {
        // BUILD:BEGIN step3.build-hints-merge — Delete the merged inputs and their hints in an order that no crash can turn into lost or resurrected keys
        for (Segment input : plan.inputs()) {
            vfs.delete(SegmentFormat.hintPath(dir, input.id()));
            vfs.delete(input.path());
            vfs.syncDirectory(dir);
        }
        // BUILD:END
    }

    private static void closeQuietly(OutputFile out) {
        if (out != null) {
            out.file.close();
        }
    }

    /** One output segment being written under its temporary name. */
    private static final class OutputFile {
        final Vfs vfs;
        final Path dir;
        final int id;
        final Path temp;
        final VfsFile file;
        final LogWriter writer;
        final List<HintFormat.Entry> entries = new ArrayList<>();

        private OutputFile(Vfs vfs, Path dir, int id, Path temp, VfsFile file) {
            this.vfs = vfs;
            this.dir = dir;
            this.id = id;
            this.temp = temp;
            this.file = file;
            this.writer = LogWriter.forStagedFile(file, LogFormat.FILE_HEADER_SIZE);
        }

        static OutputFile start(Vfs vfs, Path dir, int id) {
            Path temp = SegmentFormat.tempPathOf(SegmentFormat.dataPath(dir, id));
            VfsFile file = AtomicReplace.createTemp(vfs, temp);
            try {
                file.write(0, LogFormat.encodeFileHeader());
            } catch (RuntimeException e) {
                Closeables.closeAfterFailure(file, e);
                throw e;
            }
            return new OutputFile(vfs, dir, id, temp, file);
        }

        /** Fsyncs, publishes under the real name ({@link AtomicReplace#publish}), writes the hint, and opens it as a segment. */
        Segment finish(boolean writeHint) {
            AtomicReplace.publish(vfs, SegmentFormat.dataPath(dir, id), temp, file);
            if (writeHint) {
                HintFile.write(vfs, dir, id, writer.end(), entries);
            }
            Segment segment = Segment.open(vfs, dir, id);
            segment.setHintBytes(writeHint ? HintFormat.sizeOf(entries) : 0);
            return segment;
        }
    }
}
