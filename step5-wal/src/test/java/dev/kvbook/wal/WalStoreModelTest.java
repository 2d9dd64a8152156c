package dev.kvbook.wal;

import dev.kvbook.api.Keys;
import dev.kvbook.api.inspect.Highlight;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Link;
import dev.kvbook.api.inspect.Picture;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Step 5's structured inspection: frames and their states, the WAL index, the tree through the log, a get's reads. */
class WalStoreModelTest {

    private static final Path FILE = Path.of("/w/wal.db");
    private static final Path LOG = WalStore.walPath(FILE);
    private static final Window ALL = new Window(0, Window.MAX_LIMIT, null);
    private final WalStoreProvider provider = new WalStoreProvider();
    private CrashSimVfs vfs;

    @BeforeEach
    void freshDisk() {
        vfs = new CrashSimVfs();
        vfs.createDirectories(FILE.getParent());
    }

    private WalStore open() {
        return WalStore.open(FILE, WalStore.Options.defaults().withVfs(vfs).withCheckpointOnClose(false)
                .withCheckpointWalBytes(1L << 40));
    }

    /** 80-byte keys, so leaves list all their keys. */
    private static byte[] key(int i) {
        byte[] key = new byte[80];
        Arrays.fill(key, (byte) '-');
        byte[] name = utf8(String.format("k%05d", i));
        System.arraycopy(name, 0, key, 0, name.length);
        return key;
    }

    /** {@code keys} puts, {@code perCommit} to a transaction. */
    private void load(int keys, int perCommit) {
        try (WalStore store = open()) {
            for (int i = 0; i < keys; i += perCommit) {
                int from = i;
                store.inTransaction(t -> {
                    for (int k = from; k < Math.min(keys, from + perCommit); k++) {
                        t.put(key(k), utf8("v" + k));
                    }
                    return null;
                });
            }
        }
    }

    private StoreModel model(Window window) {
        return provider.inspect(FILE, vfs, window).model();
    }

    private static List<Item> leaves(StoreModel model) {
        List<Region> levels = model.regions().stream().filter(r -> r.kind().equals("tree-level")).toList();
        return levels.get(levels.size() - 1).items();
    }

    private static List<Item> framesIn(StoreModel model, String state) {
        return model.region("log").items().stream().filter(i -> i.state().equals(state)).toList();
    }

    @Test
    void framesAndTheIndexBeforeACheckpointAllFramesStaleAfterIt() {
        load(300, 10);
        StoreModel before = model(ALL);
        assertThat(before.problems()).isEmpty();
        Region log = before.region("log");
        long frameSize = WalFormat.frameSize(4096);
        assertThat(log.total()).isEqualTo((vfs.files().get(LOG).length - WalFormat.HEADER_SIZE) / frameSize)
                .isEqualTo(log.items().size())
                .isEqualTo(Long.parseLong(log.facts().get("committed frames")) + Long.parseLong(log.facts().get("preallocated")));
        assertThat(framesIn(before, "uncommitted")).isEmpty();
        assertThat(framesIn(before, "free")).as("the zeros the log grew by ahead of its frames")
                .hasSize(Integer.parseInt(log.facts().get("preallocated")))
                .allMatch(f -> f.fields().containsKey("preallocated"));
        assertThat(framesIn(before, "dead")).isNotEmpty(); // the root leaf was logged by each commit
        Region index = before.region("log-index");
        assertThat(index.total()).isEqualTo(framesIn(before, "live").size());
        for (Item entry : index.items()) {
            Link pointer = before.links().stream().filter(l -> l.from().equals(entry.id()) && l.kind().equals("points-to"))
                    .findFirst().orElseThrow();
            Item frame = before.item(pointer.to());
            assertThat(frame.state()).isEqualTo("live");
            assertThat(frame.fields().get("page")).isEqualTo(entry.fields().get("page"));
            assertThat(before.links()).contains(new Link(frame.id(), "page:" + entry.fields().get("page"), "frame-of"));
            Item page = before.item("page:" + entry.fields().get("page"));
            if (page != null) {
                assertThat(page.fields().get("image")).isEqualTo("log frame " + frame.fields().get("frame"));
                assertThat(frame.keys()).isEqualTo(page.keys());
            }
        }
        List<String> keys = new ArrayList<>();
        leaves(before).forEach(l -> keys.addAll(l.keys()));
        assertThat(keys).hasSize(300).isSorted();
        assertThat(before.region("header").items()).extracting(Item::id).containsExactly("header:0", "header:1", "log@0");

        try (WalStore store = open()) {
            assertThat(store.checkpoint()).isTrue();
        }
        StoreModel after = model(ALL);
        assertThat(after.problems()).isEmpty();
        assertThat(after.region("log-index").total()).isZero();
        // The reference's checkpoint leaves the old frames behind the new header (WalFormat invariant 6); a
        // design that cuts the log leaves none, and zeros grown ahead of the frames read as free frames.
        // Either way no frame of the log is live any more.
        assertThat(after.region("log").items())
                .allMatch(f -> f.state().equals("dead") && f.fields().containsKey("stale") || f.state().equals("free"));
        assertThat(after.facts().get("committed frames")).isEqualTo("0");
        assertThat(leaves(after)).allMatch(p -> p.fields().get("image").equals("data file"));
        assertThat(leaves(after).stream().mapToInt(l -> l.keys().size()).sum()).isEqualTo(300);
    }

    @Test
    void aFramePastTheLastCommitIsUncommitted() {
        load(40, 10);
        byte[] log = vfs.files().get(LOG);
        WalFormat.Header header = WalFormat.decodeHeader(Arrays.copyOf(log, WalFormat.HEADER_SIZE)).value();
        int frames = Integer.parseInt(model(ALL).region("log").facts().get("committed frames")); // zeros may follow them
        long last = WalFormat.frameOffset(frames, 4096);
        byte[] image = Arrays.copyOfRange(log, (int) last + WalFormat.FRAME_HEADER_SIZE, (int) last + WalFormat.frameSize(4096));
        int page = ByteBuffer.wrap(log).getInt((int) last);
        WalFormat.FrameHeader extra = new WalFormat.FrameHeader(page, frames + 1, header.generation(), header.salt(), frames,
                0, TreeMeta.EMPTY);
        int extraAt = (int) WalFormat.frameOffset(frames + 1, 4096); // over the first zero frame, if the log grew ahead
        byte[] longer = Arrays.copyOf(log, Math.max(log.length, extraAt + WalFormat.frameSize(4096)));
        ByteBuffer.wrap(longer).position(extraAt).put(WalFormat.encodeFrameHeader(extra, image)).put(image);
        vfs.putDurableFile(LOG, longer);

        StoreModel model = model(ALL);
        assertThat(model.problems()).isEmpty();
        assertThat(framesIn(model, "uncommitted")).singleElement()
                .satisfies(f -> assertThat(f.id()).isEqualTo("log@" + WalFormat.frameOffset(frames + 1, 4096)));
        assertThat(model.region("log").total()).isEqualTo((longer.length - WalFormat.HEADER_SIZE) / WalFormat.frameSize(4096));
        assertThat(model.region("log").facts().get("uncommitted")).isEqualTo("1");
    }

    @Test
    void aLargeLogIsPagedAndAGetReadsIndexEntriesAndFrames() {
        load(3000, 100);
        StoreModel whole = model(ALL);
        byte[] wanted = key(2990);
        StoreModel paged = model(new Window(5, 10, wanted));
        Region log = paged.region("log");
        assertThat(log.total()).isEqualTo(whole.region("log").total()).isGreaterThan(30);
        assertThat(paged.region("log-index").total()).isEqualTo(whole.region("log-index").total());
        List<Item> window = log.items().stream().filter(i -> i.index() >= 5 && i.index() < 15).toList();
        assertThat(window).extracting(Item::index).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        for (Region region : paged.regions()) {
            assertThat(region.items().size()).as(region.id()).isLessThanOrEqualTo(10 + 4);
        }

        assertThat(paged.lookup().found()).isTrue();
        List<String> touched = paged.lookup().touched();
        touched.forEach(id -> assertThat(paged.item(id)).as(id).isNotNull());
        assertThat(touched).anyMatch(id -> id.startsWith("index:")); // the last commits logged the path's pages
        String last = touched.get(touched.size() - 1);
        assertThat(paged.item(last).keys()).contains(Keys.toDisplay(wanted));
        for (int i = 0; i < touched.size(); i++) {
            if (touched.get(i).startsWith("index:")) {
                assertThat(paged.links()).contains(new Link(touched.get(i), touched.get(i + 1), "points-to"));
            }
        }

        assertThat(Picture.svg(paged, Highlight.pathOf(paged))).contains("on-path"); // the renderer takes the model as is

        StoreModel missing = model(Window.defaults().withLookup(utf8("k02990.5")));
        assertThat(missing.lookup().found()).isFalse();
        assertThat(missing.lookup().touched()).isNotEmpty();
    }

    @Test
    void damageBecomesProblemsNotExceptions() {
        load(300, 10);
        byte[] log = vfs.files().get(LOG);
        log[(int) WalFormat.frameOffset(2, 4096) + 200] ^= 1; // a committed frame, with durable frames after it
        vfs.putDurableFile(LOG, log);
        StoreModel damagedLog = model(ALL);
        assertThat(damagedLog.problems()).isNotEmpty();
        assertThat(damagedLog.region("header")).isNotNull();
        assertThat(damagedLog.item("log@" + WalFormat.frameOffset(2, 4096)).state()).isEqualTo("damaged");

        vfs.putDurableFile(FILE, new byte[100]);
        StoreModel garbage = model(ALL.withLookup(utf8("x")));
        assertThat(garbage.problems()).isNotEmpty();

        vfs.delete(FILE);
        vfs.delete(LOG);
        assertThat(model(ALL).problems()).isNotEmpty();
    }
}
