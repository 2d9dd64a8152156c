package dev.kvbook.api.inspect;

import java.util.Locale;

/**
 * Writes a {@link Layout} as an SVG document, with the class names {@link Picture} promises. Arrows
 * come last so they stay visible over the boxes they cross; each box carries a {@code <title>} (a
 * browser shows it as a tooltip) with everything the model knows about the item.
 */
final class SvgWriter {

    private final StringBuilder out = new StringBuilder();

    private SvgWriter() {
    }

    static String write(StoreModel model, Layout layout) {
        SvgWriter w = new SvgWriter();
        w.document(model, layout);
        return w.out.toString();
    }

    private void document(StoreModel model, Layout layout) {
        String width = num(Math.ceil(layout.width));
        String height = num(Math.ceil(layout.height));
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kvbook-picture store-").append(attr(model.store()))
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n");
        out.append("<style>").append(Palette.css()).append("</style>\n");
        out.append("<defs>").append(marker("kv-arrow", Palette.resolve(Palette.LINKS, java.util.Set.of("link")).stroke()))
                .append(marker("kv-arrow-path", Palette.resolve(Palette.LINKS, java.util.Set.of("link", "on-path")).stroke()))
                .append("</defs>\n");
        out.append("<rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        layout.header.forEach(this::label);
        for (Layout.Area area : layout.areas) {
            Region region = area.region();
            out.append("<g class=\"region kind-").append(attr(region.kind())).append("\" data-id=\"").append(attr(region.id()))
                    .append("\">\n");
            label(area.caption());
            area.boxes().forEach(this::box);
            if (area.elided() != null) {
                label(area.elided());
            }
            out.append("</g>\n");
        }
        out.append("<g class=\"links\">\n");
        layout.arrows.forEach(this::arrow);
        out.append("</g>\n");
        for (Layout.Swatch s : layout.swatches) {
            out.append("<rect class=\"swatch swatch-").append(attr(s.cls())).append("\" x=\"").append(num(s.x())).append("\" y=\"")
                    .append(num(s.y())).append("\" width=\"16\" height=\"12\" rx=\"2\"/>");
            label(new Layout.Label(s.x() + 22, s.y() + 10, s.text(), "legend"));
        }
        layout.footer.forEach(this::label);
        out.append("</svg>\n");
    }

    private static String marker(String id, String colour) {
        return "<marker id=\"" + id + "\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\""
                + " orient=\"auto-start-reverse\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"" + colour + "\"/></marker>";
    }

    private void box(Layout.Box b) {
        out.append("<g class=\"").append(attr(String.join(" ", b.classes()))).append("\" data-id=\"").append(attr(b.item().id()))
                .append("\"><title>").append(text(b.tooltip())).append("</title>")
                .append("<rect x=\"").append(num(b.x())).append("\" y=\"").append(num(b.y())).append("\" width=\"").append(num(b.w()))
                .append("\" height=\"").append(num(b.h())).append("\" rx=\"3\"/>");
        double y = b.y() + (b.lines().size() == 1 ? b.h() / 2 + 4 : 14);
        for (String line : b.lines()) {
            out.append("<text x=\"").append(num(b.x() + 5)).append("\" y=\"").append(num(y)).append("\">").append(text(line))
                    .append("</text>");
            y += 13;
        }
        out.append("</g>\n");
    }

    private void arrow(Layout.Arrow a) {
        Link link = a.link();
        out.append("<path class=\"link link-").append(attr(link.kind())).append(a.onPath() ? " on-path" : "")
                .append("\" data-from=\"").append(attr(link.from())).append("\" data-to=\"").append(attr(link.to()))
                .append("\" d=\"M").append(num(a.x1())).append(',').append(num(a.y1()))
                .append(" C").append(num(a.c1x())).append(',').append(num(a.c1y()))
                .append(' ').append(num(a.c2x())).append(',').append(num(a.c2y()))
                .append(' ').append(num(a.x2())).append(',').append(num(a.y2()))
                .append("\" marker-end=\"url(#").append(a.onPath() ? "kv-arrow-path" : "kv-arrow").append(")\"/>\n");
    }

    private void label(Layout.Label l) {
        out.append("<text class=\"").append(attr(l.cls())).append("\" x=\"").append(num(l.x())).append("\" y=\"").append(num(l.y()))
                .append("\">").append(text(l.text())).append("</text>\n");
    }

    /** A coordinate with at most one decimal, the same on every machine (no locale). */
    static String num(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    /**
     * Text escaped for an SVG text node. Characters XML 1.0 cannot carry at all (most control
     * characters, lone surrogates) become U+FFFD, so a key of any bytes still gives a well-formed document.
     */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\n' && c != '\t') || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Text escaped for an SVG attribute value in double quotes. */
    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\t", "&#9;");
    }
}
