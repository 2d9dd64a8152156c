package dev.kvbook.api.inspect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a {@link StoreModel} as SVG: one row per region, one box per item, arrows for links, the
 * changes and the lookup path of a {@link Highlight} marked. Plain Java with no libraries, so it
 * runs in the notebooks' kernel, in {@code kv web} and in a unit test alike.
 *
 * <h2>The SVG's classes (a contract: the web page's script and the tests select by them)</h2>
 * <ul>
 *   <li>each region: {@code <g class="region kind-K" data-id="ID">} with the items inside it;</li>
 *   <li>each item drawn: {@code <g class="item kind-K state-S" data-id="ID">}, plus the classes
 *       {@code added}, {@code moved}, {@code freed} and {@code on-path} as the highlight says;</li>
 *   <li>each link whose two ends are drawn: {@code <path class="link link-K" data-from="ID" data-to="ID">},
 *       plus {@code on-path} when both ends are on the lookup path;</li>
 *   <li>a region that left items out: one {@code <text class="elided">} saying how many.</li>
 * </ul>
 * So the number of {@code g.item.kind-leaf} elements equals the model's shown leaves, and so on.
 */
public final class Picture {

    private static final int BOX_W = 120;
    private static final int BOX_H = 44;
    private static final int GAP = 12;
    private static final int ROW = 90;
    private static final int MARGIN = 16;

    private Picture() {
    }

    /** The model drawn as a standalone SVG document (UTF-8 text). */
    public static String svg(StoreModel model, Highlight highlight) {
        Map<String, int[]> centers = new HashMap<>();
        StringBuilder body = new StringBuilder();
        int y = MARGIN;
        int width = 400;
        for (Region region : model.regions()) {
            body.append("<g class=\"region kind-").append(attr(region.kind())).append("\" data-id=\"").append(attr(region.id())).append("\">\n");
            body.append("<text class=\"region-label\" x=\"").append(MARGIN).append("\" y=\"").append(y + 12).append("\">")
                    .append(text(region.label())).append("</text>\n");
            int x = MARGIN;
            int top = y + 20;
            for (Item item : region.items()) {
                StringBuilder classes = new StringBuilder("item kind-").append(attr(item.kind()));
                if (!item.state().isEmpty()) {
                    classes.append(" state-").append(attr(item.state()));
                }
                if (highlight.added().contains(item.id())) {
                    classes.append(" added");
                }
                if (highlight.moved().contains(item.id())) {
                    classes.append(" moved");
                }
                if (highlight.freed().contains(item.id())) {
                    classes.append(" freed");
                }
                if (highlight.path().contains(item.id())) {
                    classes.append(" on-path");
                }
                body.append("<g class=\"").append(classes).append("\" data-id=\"").append(attr(item.id())).append("\">")
                        .append("<rect x=\"").append(x).append("\" y=\"").append(top).append("\" width=\"").append(BOX_W)
                        .append("\" height=\"").append(BOX_H).append("\" rx=\"4\"/>")
                        .append("<text x=\"").append(x + 6).append("\" y=\"").append(top + 18).append("\">")
                        .append(text(item.label())).append("</text></g>\n");
                centers.put(item.id(), new int[]{x + BOX_W / 2, top, top + BOX_H});
                x += BOX_W + GAP;
            }
            if (region.elided() > 0) {
                body.append("<text class=\"elided\" x=\"").append(x).append("\" y=\"").append(top + 26).append("\">… ")
                        .append(region.elided()).append(" more</text>\n");
                x += 100;
            }
            width = Math.max(width, x + MARGIN);
            body.append("</g>\n");
            y += ROW;
        }
        List<String> path = highlight.path();
        for (Link link : model.links()) {
            int[] from = centers.get(link.from());
            int[] to = centers.get(link.to());
            if (from == null || to == null) {
                continue;
            }
            boolean onPath = path.contains(link.from()) && path.contains(link.to());
            body.append("<path class=\"link link-").append(attr(link.kind())).append(onPath ? " on-path" : "")
                    .append("\" data-from=\"").append(attr(link.from())).append("\" data-to=\"").append(attr(link.to()))
                    .append("\" d=\"M").append(from[0]).append(',').append(from[2]).append(" L").append(to[0]).append(',')
                    .append(to[1]).append("\"/>\n");
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kvbook-picture store-" + attr(model.store())
                + "\" width=\"" + width + "\" height=\"" + (y + MARGIN) + "\" viewBox=\"0 0 " + width + " " + (y + MARGIN) + "\">\n"
                + "<style>rect{fill:#fff;stroke:#555}.state-dead rect{fill:#eee}.added rect{fill:#d4f7d4}"
                + ".moved rect{fill:#d4e4f7}.freed rect{fill:#f7d4d4}.on-path rect{stroke:#d60;stroke-width:3}"
                + "path.link{stroke:#888;fill:none}text{font:11px sans-serif}</style>\n"
                + body + "</svg>\n";
    }

    /** Text escaped for an SVG text node. */
    static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text escaped for an SVG attribute value. */
    static String attr(String s) {
        return text(s).replace("\"", "&quot;");
    }
}
