package dev.kvbook.api.inspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where everything of a picture goes: computed once from a model and a {@link Highlight}, then
 * drawn by {@link SvgWriter} or {@link ImageWriter} without either deciding anything. Coordinates
 * are pixels from the top left.
 *
 * <p>The arrangement follows what each region is (the kinds of {@linkplain dev.kvbook.api.inspect
 * the vocabulary}):
 * <ul>
 *   <li>the slot regions, {@code keydir} and {@code log-index}, stand as a column on the left, so
 *       their {@code points-to} arrows run right into the files they locate;</li>
 *   <li>{@code tree-level} rows are centred over the widest level, so the root sits above the
 *       middle of its leaves and {@code child} arrows fan out downwards;</li>
 *   <li>{@code file}, {@code segment}, {@code log}, {@code memtable} and {@code lsm-level} are
 *       strips read left to right (wrapping when long), each box as wide as its bytes suggest:
 *       the width grows with the logarithm of the length, so a 4 KiB page is wider than a
 *       20-byte record but does not hide its neighbours;</li>
 *   <li>{@code header}, {@code overflow} and {@code free-list} are rows of small boxes;</li>
 *   <li>a kind this class does not know is drawn as a strip of plain boxes.</li>
 * </ul>
 * The text is set in a monospaced font, so a label's width is known here without measuring it.
 */
final class Layout {

    static final int MARGIN = 16;
    static final int GAP = 8;
    static final int LINE = 16;
    private static final int BOX_H = 34;
    private static final int SMALL_H = 22;
    private static final int SLOT_H = 20;
    private static final int MIN_W = 44;
    private static final int MAX_W = 160;
    private static final int WRAP_W = 1100;
    private static final int COLUMN_GAP = 90;
    private static final int LEVEL_GAP = 44;

    /** A line of text outside the boxes; {@code cls} is its SVG class (title, facts, elided ...). */
    record Label(double x, double y, String text, String cls) {
    }

    /** One item's box: its classes (the contract of {@link Picture}), its text lines and tooltip. */
    record Box(Item item, double x, double y, double w, double h, Set<String> classes, List<String> lines, String tooltip) {
        double cx() {
            return x + w / 2;
        }

        double cy() {
            return y + h / 2;
        }
    }

    /** One region: its caption, its boxes, and the "… N more" line when the window left items out. */
    record Area(Region region, Label caption, List<Box> boxes, Label elided) {
    }

    /** An arrow as a cubic curve from (x1,y1) to (x2,y2) through two control points. */
    record Arrow(Link link, boolean onPath, double x1, double y1, double c1x, double c1y,
                 double c2x, double c2y, double x2, double y2) {
    }

    /** A legend entry: a small box coloured like a highlight class, then what it means. */
    record Swatch(double x, double y, String cls, String text) {
    }

    final List<Label> header = new ArrayList<>();
    final List<Area> areas = new ArrayList<>();
    final List<Arrow> arrows = new ArrayList<>();
    final List<Swatch> swatches = new ArrayList<>();
    final List<Label> footer = new ArrayList<>();
    double width;
    double height;

    private final Highlight highlight;
    private final Map<String, Box> boxes = new HashMap<>();
    private final Set<String> sideBoxes = new LinkedHashSet<>();

    private final long largestTable;

    private Layout(Highlight highlight, long largestTable) {
        this.highlight = highlight;
        this.largestTable = largestTable;
    }

    /** Lays out {@code model} with {@code highlight}'s marks (costs time linear in the model's size). */
    static Layout of(StoreModel model, Highlight highlight) {
        Layout layout = new Layout(highlight == null ? Highlight.none() : highlight, largestTable(model));
        double top = layout.title(model);
        List<Region> side = new ArrayList<>();
        List<Region> main = new ArrayList<>();
        for (Region region : model.regions()) {
            (isSlotColumn(region.kind()) ? side : main).add(region);
        }
        double sideRight = MARGIN;
        double sideBottom = top;
        for (Region region : side) {
            double[] end = layout.column(region, MARGIN, sideBottom);
            sideRight = Math.max(sideRight, end[0]);
            sideBottom = end[1] + LEVEL_GAP / 2.0;
        }
        // Step 5: the log's frames go above the tree they are images of, next to the log index
        // that points at them, so both kinds of arrow stay short. (The SVG keeps the model's order.)
        if (main.stream().anyMatch(r -> r.kind().equals("tree-level"))) {
            List<Region> logs = main.stream().filter(r -> r.kind().equals("log")).toList();
            main.removeAll(logs);
            main.addAll(0, logs);
        }
        double mainX = side.isEmpty() ? MARGIN : sideRight + COLUMN_GAP;
        double mainBottom = layout.main(main, mainX, top);
        // Drawn in the model's order whatever the arrangement, so the SVG reads like the model.
        layout.areas.sort(java.util.Comparator.comparingInt(a -> model.regions().indexOf(a.region())));
        layout.links(model);
        double bottom = Math.max(sideBottom, mainBottom);
        layout.legend(model, bottom + GAP);
        return layout;
    }

    private static boolean isSlotColumn(String kind) {
        return kind.equals("keydir") || kind.equals("log-index");
    }

    /** The title (store and facts), the damage found, and the lookup; returns where the body starts. */
    private double title(StoreModel model) {
        double y = MARGIN + 12;
        header.add(new Label(MARGIN, y, model.store(), "title"));
        y += LINE + 2;
        List<String> facts = new ArrayList<>();
        model.facts().forEach((k, v) -> facts.add(k + " " + v));
        for (String line : Labels.wrap(facts, " · ", 150)) {
            header.add(new Label(MARGIN, y, line, "facts"));
            y += LINE;
        }
        for (String problem : model.problems()) {
            header.add(new Label(MARGIN, y, "damage: " + problem, "problem"));
            y += LINE;
        }
        if (model.lookup() != null) {
            Lookup lookup = model.lookup();
            String what = "get(" + lookup.key() + "): " + (lookup.found() ? "found" : "not found") + ", "
                    + lookup.touched().size() + " read" + (lookup.note().isEmpty() ? "" : " — " + lookup.note());
            for (String line : Labels.wrap(List.of(what.split(" ")), " ", 150)) {
                header.add(new Label(MARGIN, y, line, "lookup"));
                y += LINE;
            }
        }
        header.forEach(l -> grow(l.x() + Labels.textWidth(l.text()), l.y()));
        return y + GAP;
    }

    /** A slot region as a column of equal boxes; returns {right, bottom}. */
    private double[] column(Region region, double x, double y) {
        Label caption = caption(region, x, y + 11);
        y += LINE + 4;
        double w = MIN_W;
        for (Item item : region.items()) {
            w = Math.max(w, Labels.textWidth(Labels.primary(item)) + 12);
        }
        w = Math.min(w, MAX_W);
        List<Box> placed = new ArrayList<>();
        for (Item item : region.items()) {
            placed.add(box(item, x, y, w, SLOT_H, List.of(Labels.primary(item))));
            y += SLOT_H + 4;
        }
        Label elided = null;
        if (region.elided() > 0) {
            elided = elided(region, x, y + 12);
            y += LINE;
        }
        areas.add(new Area(region, caption, placed, elided));
        placed.forEach(b -> sideBoxes.add(b.item().id()));
        grow(x + w, y);
        return new double[]{Math.max(x + w, x + Labels.textWidth(caption.text())), y};
    }

    /** The main regions top to bottom; returns the bottom. */
    private double main(List<Region> regions, double x, double y) {
        double treeWidth = 0;
        for (Region region : regions) {
            if (region.kind().equals("tree-level")) {
                treeWidth = Math.max(treeWidth, rowWidth(region));
            }
        }
        double wrapAt = Math.max(WRAP_W, treeWidth);
        for (Region region : regions) {
            Label caption = caption(region, x, y + 11);
            y += LINE + 4;
            List<Box> placed = new ArrayList<>();
            double left = region.kind().equals("tree-level") ? x + (treeWidth - rowWidth(region)) / 2 : x;
            double bx = left;
            double h = height(region.kind());
            for (Item item : region.items()) {
                double w = width(region.kind(), item);
                if (bx > left && bx + w > x + wrapAt) {
                    bx = left;
                    y += h + GAP;
                }
                placed.add(box(item, bx, y, w, h, Labels.lines(region.kind(), item)));
                bx += w + GAP;
            }
            Label elided = null;
            if (region.elided() > 0) {
                String text = Labels.elidedText(region);
                if (bx > left && bx + Labels.textWidth(text) > x + wrapAt) {
                    bx = left;
                    y += h + GAP;
                }
                elided = new Label(bx, y + h / 2 + 4, text, "elided");
                grow(bx + Labels.textWidth(text), y);
            }
            areas.add(new Area(region, caption, placed, elided));
            y += (region.items().isEmpty() && elided == null ? 0 : h) + (region.kind().equals("tree-level") ? LEVEL_GAP : LINE);
        }
        return y;
    }

    private double rowWidth(Region region) {
        double w = 0;
        for (Item item : region.items()) {
            w += width(region.kind(), item) + GAP;
        }
        return Math.max(0, w - GAP) + (region.elided() > 0 ? GAP + Labels.textWidth(Labels.elidedText(region)) : 0);
    }

    private static long largestTable(StoreModel model) {
        long largest = 0;
        for (Region region : model.regions()) {
            if (region.kind().equals("lsm-level")) {
                for (Item item : region.items()) {
                    largest = Math.max(largest, item.length());
                }
            }
        }
        return largest;
    }

    private static double height(String regionKind) {
        return switch (regionKind) {
            case "header", "overflow", "free-list" -> SMALL_H;
            default -> BOX_H;
        };
    }

    /**
     * A box's width: by its bytes for what lives in a file (a log scale: a 4 KiB page wider than
     * a 20-byte record, neither hiding its neighbours); for a table, in proportion to the largest
     * table of the model, but never narrower than its key range; by its text for pages and what
     * lives in memory.
     */
    private double width(String regionKind, Item item) {
        List<String> lines = Labels.lines(regionKind, item);
        double text = 0;
        for (String line : lines) {
            text = Math.max(text, Labels.textWidth(line) + 12);
        }
        return switch (regionKind) {
            case "lsm-level" -> item.length() > 0 && largestTable > 0
                    ? clamp(Math.max(text, 80 + 150.0 * item.length() / largestTable), MIN_W, 240)
                    : clamp(text, MIN_W, MAX_W);
            case "file", "segment", "log" -> item.length() > 0
                    ? clamp(Math.max(12 * log2(1 + item.length()), Math.min(text, 90)), MIN_W, MAX_W)
                    : clamp(text, MIN_W, MAX_W);
            case "header", "overflow", "free-list" -> clamp(text, MIN_W, 180);
            default -> clamp(text, MIN_W, MAX_W);
        };
    }

    private Box box(Item item, double x, double y, double w, double h, List<String> lines) {
        Set<String> classes = new LinkedHashSet<>();
        classes.add("item");
        classes.add("kind-" + item.kind());
        if (!item.state().isEmpty()) {
            classes.add("state-" + item.state());
        }
        if (highlight.added().contains(item.id())) {
            classes.add("added");
        }
        if (highlight.moved().contains(item.id())) {
            classes.add("moved");
        }
        if (highlight.freed().contains(item.id())) {
            classes.add("freed");
        }
        if (highlight.path().contains(item.id())) {
            classes.add("on-path");
        }
        List<String> fitted = new ArrayList<>();
        for (String line : lines) {
            fitted.add(Labels.fit(line, w - 10));
        }
        Box box = new Box(item, x, y, w, h, classes, fitted, Labels.tooltip(item));
        boxes.putIfAbsent(item.id(), box);
        grow(x + w, y + h);
        return box;
    }

    private Label caption(Region region, double x, double y) {
        List<String> parts = new ArrayList<>();
        String name = region.label().isEmpty() ? region.id() : region.label();
        parts.add(name);
        // A fact the label already says ("data.log, 96 bytes" and bytes=96) is not repeated.
        region.facts().forEach((k, v) -> {
            if (!name.contains(v)) {
                parts.add(k + " " + v);
            }
        });
        Label label = new Label(x, y, Labels.fit(String.join(" · ", parts), 170 * Labels.CHAR_W), "region-label");
        grow(x + Labels.textWidth(label.text()), y);
        return label;
    }

    private Label elided(Region region, double x, double y) {
        Label label = new Label(x, y, Labels.elidedText(region), "elided");
        grow(x + Labels.textWidth(label.text()), y);
        return label;
    }

    /** Arrows for the links whose two ends are drawn; the rest are left out (they leave the window). */
    private void links(StoreModel model) {
        List<String> path = highlight.path();
        List<Link> drawn = new ArrayList<>();
        Map<String, Integer> children = new HashMap<>();
        for (Link link : model.links()) {
            Box from = boxes.get(link.from());
            Box to = boxes.get(link.to());
            if (from != null && to != null && from != to) {
                drawn.add(link);
                if (link.kind().equals("child")) {
                    children.merge(link.from(), 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Link link : drawn) {
            boolean onPath = path.contains(link.from()) && path.contains(link.to());
            // A branch's child arrows leave from points spread along its bottom edge, in child order,
            // so they fan out like the pointers in the page instead of crossing from one point.
            double spread = 0.5;
            if (link.kind().equals("child")) {
                int i = seen.merge(link.from(), 1, Integer::sum);
                spread = (double) i / (children.get(link.from()) + 1);
            }
            arrows.add(arrow(link, onPath, boxes.get(link.from()), boxes.get(link.to()), spread));
        }
    }

    /**
     * Picks where an arrow leaves and enters its boxes: out of a slot column's right side into the
     * target's top; sideways between neighbours of one row; over the top between distant boxes of
     * one row; otherwise from the bottom of the upper box (at {@code spread} of its width) to the
     * top of the lower one.
     */
    private Arrow arrow(Link link, boolean onPath, Box from, Box to, double spread) {
        double[] a;
        double[] b;
        boolean sameRow = Math.abs(from.cy() - to.cy()) < 1;
        if (sideBoxes.contains(from.item().id()) && !sideBoxes.contains(to.item().id())) {
            a = new double[]{from.x() + from.w(), from.cy(), 1, 0};
            b = new double[]{to.cx(), to.y(), 0, -1};
        } else if (sameRow && gapBetween(from, to) <= GAP * 2) {
            boolean right = to.x() > from.x();
            a = new double[]{right ? from.x() + from.w() : from.x(), from.cy(), right ? 1 : -1, 0};
            b = new double[]{right ? to.x() : to.x() + to.w(), to.cy(), right ? -1 : 1, 0};
        } else if (sameRow) {
            a = new double[]{from.cx(), from.y(), 0, -1};
            b = new double[]{to.cx(), to.y(), 0, -1};
        } else if (to.cy() > from.cy()) {
            a = new double[]{from.x() + from.w() * spread, from.y() + from.h(), 0, 1};
            b = new double[]{to.cx(), to.y(), 0, -1};
        } else {
            a = new double[]{from.cx(), from.y(), 0, -1};
            b = new double[]{to.cx(), to.y() + to.h(), 0, 1};
        }
        // How far the curve runs straight out of each box: a share of the distance, but never past
        // half the vertical gap between rows, or the curve would dip below its target and come back.
        double k = clamp(Math.hypot(b[0] - a[0], b[1] - a[1]) * 0.4, 10, 120);
        if (a[3] != 0 && b[3] != 0 && a[3] != b[3]) {
            k = Math.min(k, Math.max(10, Math.abs(b[1] - a[1]) * 0.5));
        }
        return new Arrow(link, onPath, a[0], a[1], a[0] + a[2] * k, a[1] + a[3] * k,
                b[0] + b[2] * k, b[1] + b[3] * k, b[0], b[1]);
    }

    private static double gapBetween(Box a, Box b) {
        return a.x() < b.x() ? b.x() - (a.x() + a.w()) : a.x() - (b.x() + b.w());
    }

    /** The legend, when something is highlighted: what each colour means, and what was freed out of sight. */
    private void legend(StoreModel model, double y) {
        double x = MARGIN;
        int[] counts = {highlight.added().size(), highlight.moved().size(), highlight.freed().size(), highlight.path().size()};
        String[] names = {"added", "moved", "freed", "on the get's path"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            String text = names[i] + " (" + counts[i] + ")";
            swatches.add(new Swatch(x, y, Palette.HIGHLIGHTS.get(i), text));
            x += 22 + Labels.textWidth(text) + 16;
        }
        if (!swatches.isEmpty()) {
            grow(x, y + 14);
            y += 14 + LINE;
        }
        List<String> gone = new ArrayList<>();
        for (String id : highlight.freed()) {
            if (model.item(id) == null) {
                gone.add(id);
            }
        }
        gone.sort(Labels::naturally);
        if (!gone.isEmpty()) {
            List<String> shown = gone.size() > 12 ? new ArrayList<>(gone.subList(0, 12)) : gone;
            if (gone.size() > 12) {
                shown.add("… " + (gone.size() - 12) + " more");
            }
            for (String line : Labels.wrap(shown, ", ", 150)) {
                Label label = new Label(MARGIN, y + 4, (footer.isEmpty() ? "freed, no longer drawn: " : "  ") + line, "legend");
                footer.add(label);
                grow(MARGIN + Labels.textWidth(label.text()), y);
                y += LINE;
            }
        }
        height = Math.max(height, y) + MARGIN;
        width += MARGIN;
    }

    private void grow(double right, double bottom) {
        width = Math.max(width, right);
        height = Math.max(height, bottom);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double log2(long v) {
        return Math.log(v) / Math.log(2);
    }
}
