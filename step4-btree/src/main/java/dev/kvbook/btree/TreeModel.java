package dev.kvbook.btree;

import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Link;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The tree as data, collected while {@link TreeInspector} walks it for the text and the drawing,
 * so the pages are read once for all three. Step 4 adds it to its model under its header slots;
 * step 5 adds it under its log, and turns {@link #lookupPages()} into the index entries and
 * frames its {@code get} really reads.
 *
 * <p>What it holds, in the vocabulary of {@link dev.kvbook.api.inspect}:
 * <ul>
 *   <li>one {@code tree-level} region per level, {@code level:<h>}, the root level first: items
 *       {@code page:<n>} of kind {@code branch} or {@code leaf} (or {@code damaged}) with their keys
 *       (a page with more than {@value #KEYS_PER_ITEM} shows its first and last halves of those and
 *       says so in the field {@code keys shown}), the bytes used and the key count; links
 *       {@code child} (a branch to each child, in order) and {@code next} (a leaf to its right sibling);</li>
 *   <li>the region {@code overflow}: every page of every overflow chain, by page number, with a link
 *       {@code overflow} from the leaf holding the long value to the chain's first page and from each
 *       page to the next;</li>
 *   <li>the region {@code free-list}: the free pages in list order, linked by {@code free-next};</li>
 *   <li>with a lookup key: the pages a {@code get} reads, root to leaf, then the value's overflow
 *       chain if it has one — always in the model, window or not.</li>
 * </ul>
 * Regions count all their items ({@code total}) but keep only those the {@link Window} shows plus
 * the lookup's; a model carries the links <i>from</i> the items it keeps (they may point to items
 * left out).
 */
public final class TreeModel {

    /** A page with more keys than this shows its first and last halves of them. */
    static final int KEYS_PER_ITEM = 64;

    private final Window window;
    private final IntFunction<String> imageOf;
    private final byte[] lookupKey;
    private int pageSize = -1;

    private final List<Region> regions = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    // The level being walked.
    private int levelHeight;
    private int treeHeight;
    private long levelTotal;
    private final List<Item> levelItems = new ArrayList<>();

    // Long values met in the leaves, in key order: their chains are walked after the tree.
    private record Chain(int leaf, String key, int first, int length, boolean onPath) {
    }

    private final List<Chain> chains = new ArrayList<>();

    // The lookup: the page it expects at the level being walked (0 once it has ended).
    private int expected;
    private final List<Integer> path = new ArrayList<>();
    private boolean found;
    private String note = "";

    /** An empty collector: regions appear as {@link TreeInspector} walks the tree. */
    public TreeModel(Window window) {
        this(window, number -> null);
    }

    /**
     * A collector that adds to each tree page the field {@code image}: where its current version is
     * read from, as {@code imageOf} says ({@code "log frame 12"}, {@code "data file"}; null: no field).
     * Step 5 uses it, since its pages are read through the log.
     */
    public TreeModel(Window window, IntFunction<String> imageOf) {
        this.window = window;
        this.lookupKey = window.lookupKey();
        this.imageOf = imageOf;
    }

    // ---- what the walk reports ------------------------------------------------------------

    void start(TreeMeta meta) {
        treeHeight = meta.height();
        expected = meta.rootPage();
        if (lookupKey != null && meta.rootPage() == 0) {
            note = "the tree is empty: a get reads no page";
        }
    }

    void startLevel(int height, long total) {
        levelHeight = height;
        levelTotal = total;
        levelItems.clear();
    }

    /** Page {@code number}, the {@code index}th of its level, read as {@code page} (null: damaged). */
    void page(long index, int number, Page page) {
        if (page != null) {
            pageSize = page.size();
        }
        boolean onPath = lookupKey != null && expected != 0 && number == expected;
        if (onPath) {
            path.add(number);
            expected = 0;
        }
        boolean tree = page != null && (PageFormat.type(page) == PageFormat.TYPE_LEAF || PageFormat.type(page) == PageFormat.TYPE_BRANCH);
        if (!tree) {
            if (onPath) {
                note = "page " + number + " is damaged: a get stops there with an error";
            }
            if (onPath || window.shows(index, levelTotal)) {
                levelItems.add(damaged(index, number, page == null ? "unreadable" : PageFormat.typeName(PageFormat.type(page))));
            }
            return;
        }
        boolean leaf = PageFormat.type(page) == PageFormat.TYPE_LEAF;
        if (onPath) {
            follow(number, page, leaf);
        }
        boolean kept = onPath || window.shows(index, levelTotal);
        if (leaf) {
            noteChains(number, page, kept);
        }
        if (kept) {
            levelItems.add(treePage(index, number, page, leaf));
            if (leaf && PageFormat.link(page) != 0) {
                links.add(new Link(id(number), id(PageFormat.link(page)), "next"));
            } else if (!leaf) {
                BranchPage branch = new BranchPage(page);
                for (int i = 0; i <= branch.keyCount(); i++) {
                    links.add(new Link(id(number), id(branch.child(i)), "child"));
                }
            }
        }
    }

    void problem(String problem) {
        problems.add(problem);
    }

    void endLevel() {
        String label = "level " + levelHeight + (levelHeight == treeHeight ? " (root)" : levelHeight == 1 ? " (leaves)" : "");
        regions.add(new Region("level:" + levelHeight, "tree-level", label, Map.of("pages", String.valueOf(levelTotal)),
                levelTotal, levelItems));
    }

    /** The lookup's next step from a page on its path: the child a get descends to, or the answer in a leaf. */
    private void follow(int number, Page page, boolean leaf) {
        if (!leaf) {
            BranchPage branch = new BranchPage(page);
            expected = branch.child(branch.childIndexFor(lookupKey));
            if (levelHeight <= 1) {
                note = "page " + number + " is a branch at the leaf level: the tree is damaged";
                expected = 0;
            }
            return;
        }
        if (levelHeight != 1) {
            note = "page " + number + " is a leaf at level " + levelHeight + ": the tree is damaged, a get fails there";
            return;
        }
        LeafPage leafPage = new LeafPage(page);
        int slot = leafPage.search(lookupKey);
        found = slot >= 0;
        note = found ? "found in leaf page " + number + " after " + Plural.of(path.size(), "page read")
                : "not in leaf page " + number + ", the only leaf that could hold it";
        if (found && leafPage.isOverflow(slot)) {
            note += "; the value fills an overflow chain";
        }
    }

    /** Remembers the long values of a leaf: the overflow region walks their chains after the tree. */
    private void noteChains(int number, Page page, boolean kept) {
        LeafPage leaf = new LeafPage(page);
        for (int i = 0; i < leaf.count(); i++) {
            if (leaf.isOverflow(i)) {
                boolean onPath = lookupKey != null && found && path.get(path.size() - 1) == number && leaf.compare(i, lookupKey) == 0;
                chains.add(new Chain(number, Keys.toDisplay(leaf.key(i)), leaf.overflowPage(i), leaf.valueLength(i), onPath));
                if (kept) {
                    links.add(new Link(id(number), id(leaf.overflowPage(i)), "overflow"));
                }
            }
        }
    }

    /**
     * Reads every overflow chain the leaves pointed to (at most as many pages as each value's
     * length needs, so a cyclic chain ends) and adds the {@code overflow} region, by page number.
     * O(overflow pages) page reads; damage goes to {@code problems}.
     */
    void overflow(TreeChecker.PageReader pages, int pageCount, int headerCount) {
        record Piece(int number, int next, int bytes, String key, int position, boolean onPath) {
        }
        List<Piece> pieces = new ArrayList<>();
        for (Chain chain : chains) {
            int payload = PageFormat.usableSize(pageSize);
            int needed = (chain.length() + payload - 1) / payload;
            int number = chain.first();
            for (int i = 0; i < needed && number != 0; i++) {
                Page page = number > 0 && number < pageCount ? pages.read(number) : null;
                if (page == null || PageFormat.type(page) != PageFormat.TYPE_OVERFLOW) {
                    problems.add("page " + number + ", part " + (i + 1) + " of the value of " + chain.key()
                            + " (leaf page " + chain.leaf() + "), is not a readable overflow page");
                    break;
                }
                pieces.add(new Piece(number, PageFormat.link(page), PageFormat.count(page), chain.key(), i + 1, chain.onPath()));
                if (chain.onPath()) {
                    path.add(number);
                }
                number = PageFormat.link(page);
            }
        }
        pieces.sort(java.util.Comparator.comparingInt(Piece::number));
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            if (piece.onPath() || window.shows(i, pieces.size())) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("value of", piece.key());
                fields.put("part", String.valueOf(piece.position()));
                fields.put("bytes", String.valueOf(piece.bytes()));
                fields.put("next", String.valueOf(piece.next()));
                items.add(new Item(id(piece.number()), "overflow", i, "page " + piece.number() + " overflow",
                        offset(piece.number()), pageSize, "live", List.of(), fields));
                if (piece.next() != 0) {
                    links.add(new Link(id(piece.number()), id(piece.next()), "overflow"));
                }
            }
        }
        regions.add(new Region("overflow", "overflow", "overflow pages",
                facts("chains", chains.size(), "header says", headerCount), pieces.size(), items));
    }

    /** Adds the {@code free-list} region from the free pages in list order ({@code free}, read as {@code read}). */
    void freeList(List<Integer> free, List<Page> read, int headerCount) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < free.size(); i++) {
            if (!window.shows(i, free.size())) {
                continue;
            }
            int number = free.get(i);
            Page page = read.get(i);
            if (page == null || PageFormat.type(page) != PageFormat.TYPE_FREE) {
                items.add(damaged(i, number, page == null ? "unreadable" : PageFormat.typeName(PageFormat.type(page)) + " on the free list"));
                continue;
            }
            items.add(new Item(id(number), "free", i, "page " + number + " free", offset(number), pageSize, "free",
                    List.of(), Map.of("next", String.valueOf(PageFormat.link(page)))));
            if (PageFormat.link(page) != 0) {
                links.add(new Link(id(number), id(PageFormat.link(page)), "free-next"));
            }
        }
        regions.add(new Region("free-list", "free-list", "free list", Map.of("header says", String.valueOf(headerCount)),
                free.size(), items));
    }

    // ---- what a model is built from -------------------------------------------------------

    /** The regions collected, in the order a picture shows them: levels root first, overflow, free list. */
    public List<Region> regions() {
        return List.copyOf(regions);
    }

    /** The links from the items kept. */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** The pages a {@code get} of the lookup key reads, in order: root to leaf, then the value's overflow chain. Empty without a lookup. */
    public List<Integer> lookupPages() {
        return List.copyOf(path);
    }

    /** Damage the model found that the page reader did not report (a broken overflow chain). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Whether the lookup key is in the tree. */
    public boolean found() {
        return found;
    }

    /** Why the lookup's path is what it is, for a person. */
    public String note() {
        return note;
    }

    /** Adds the regions and links to {@code model}, and the lookup (by page ids) when the window asked for one. */
    public void addTo(StoreModel.Builder model) {
        regions.forEach(model::region);
        problems.forEach(model::problem);
        links.forEach(l -> model.link(l.from(), l.to(), l.kind()));
        if (lookupKey != null) {
            model.lookup(new Lookup(Keys.toDisplay(lookupKey), found, path.stream().map(TreeModel::id).toList(), note));
        }
    }

    /** The item id of page {@code number}: {@code page:<n>}. */
    public static String id(int number) {
        return "page:" + number;
    }

    /**
     * The {@code header} region of a file with two header slots: one {@code header} item per slot,
     * {@code header:0} and {@code header:1}; state {@code live} for the slot a reader trusts (the
     * valid one with the higher sequence), {@code dead} for the older one, {@code damaged} for an
     * invalid one. Shared with step 5, whose data file has the same slots.
     */
    public static Region headerRegion(HeaderFormat.Slot[] slots, HeaderFormat.Header trusted) {
        List<Item> items = new ArrayList<>();
        for (HeaderFormat.Slot slot : slots) {
            long offset = (long) slot.index() * HeaderFormat.SLOT_STRIDE;
            HeaderFormat.Header h = slot.header();
            if (h == null) {
                items.add(new Item("header:" + slot.index(), "header", slot.index(), "header slot " + slot.index() + ": invalid",
                        offset, HeaderFormat.SLOT_SIZE, "damaged", List.of(), Map.of("problem", slot.problem())));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("sequence", String.valueOf(h.sequence()));
            fields.put("state", h.isClean() ? "CLEAN" : "DIRTY");
            fields.put("page size", String.valueOf(h.pageSize()));
            fields.put("pages", String.valueOf(h.pageCount()));
            fields.put("root", String.valueOf(h.meta().rootPage()));
            fields.put("height", String.valueOf(h.meta().height()));
            fields.put("keys", String.valueOf(h.meta().keyCount()));
            fields.put("free pages", String.valueOf(h.meta().freePages()));
            fields.put("free list head", String.valueOf(h.meta().freeListHead()));
            fields.put("overflow pages", String.valueOf(h.meta().overflowPages()));
            boolean live = trusted != null && h.sequence() == trusted.sequence();
            items.add(new Item("header:" + slot.index(), "header", slot.index(),
                    "header slot " + slot.index() + ": sequence " + h.sequence() + (h.isClean() ? ", CLEAN" : ", DIRTY"),
                    offset, HeaderFormat.SLOT_SIZE, live ? "live" : "dead", List.of(), fields));
        }
        return new Region("header", "header", "header slots", Map.of(), items.size(), items);
    }

    // ---- items ------------------------------------------------------------------------------

    /** What kind of item page {@code page} is: {@code leaf}, {@code branch}, {@code overflow}, {@code free}, else {@code damaged}. */
    public static String kindOf(Page page) {
        return switch (PageFormat.type(page)) {
            case PageFormat.TYPE_LEAF -> "leaf";
            case PageFormat.TYPE_BRANCH -> "branch";
            case PageFormat.TYPE_OVERFLOW -> "overflow";
            case PageFormat.TYPE_FREE -> "free";
            default -> "damaged";
        };
    }

    /**
     * The keys of a leaf or branch page, printable, as a model lists them: all of them, or the first
     * and last {@value #KEYS_PER_ITEM}/2 of a page with more; none for other pages. O(keys).
     */
    public static List<String> keysOf(Page page) {
        int type = PageFormat.type(page);
        if (type != PageFormat.TYPE_LEAF && type != PageFormat.TYPE_BRANCH) {
            return List.of();
        }
        boolean leaf = type == PageFormat.TYPE_LEAF;
        List<String> keys = new ArrayList<>();
        int count = PageFormat.count(page);
        for (int i = 0; i < count; i++) {
            if (count <= KEYS_PER_ITEM || i < KEYS_PER_ITEM / 2 || i >= count - KEYS_PER_ITEM / 2) {
                keys.add(Keys.toDisplay(leaf ? new LeafPage(page).key(i) : new BranchPage(page).key(i)));
            }
        }
        return keys;
    }

    private Item treePage(long index, int number, Page page, boolean leaf) {
        List<String> keys = keysOf(page);
        int count = PageFormat.count(page);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(leaf ? "keys" : "separators", String.valueOf(count));
        if (count > KEYS_PER_ITEM) {
            fields.put("keys shown", "first " + KEYS_PER_ITEM / 2 + " and last " + KEYS_PER_ITEM / 2 + " of " + count);
        }
        fields.put("bytes used", SlottedPage.usedBytes(page) + "/" + PageFormat.usableSize(page.size()));
        if (leaf) {
            fields.put("next leaf", String.valueOf(PageFormat.link(page)));
        } else {
            fields.put("children", String.valueOf(count + 1));
        }
        String image = imageOf.apply(number);
        if (image != null) {
            fields.put("image", image);
        }
        return new Item(id(number), leaf ? "leaf" : "branch", index, "page " + number + (leaf ? " leaf" : " branch"),
                offset(number), page.size(), "live", keys, fields);
    }

    private Item damaged(long index, int number, String what) {
        return new Item(id(number), "damaged", index, "page " + number + ": " + what, offset(number),
                Math.max(pageSize, 0), "damaged", List.of(), Map.of("problem", what));
    }

    /** Facts in the order given (a {@code Map.of} with several entries has none). */
    private static Map<String, String> facts(String name, Object value, String name2, Object value2) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(name, String.valueOf(value));
        facts.put(name2, String.valueOf(value2));
        return facts;
    }

    private long offset(int number) {
        return pageSize < 0 ? -1 : (long) number * pageSize;
    }
}
