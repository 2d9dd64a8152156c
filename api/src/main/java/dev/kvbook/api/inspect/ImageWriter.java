package dev.kvbook.api.inspect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Set;

/**
 * Paints a {@link Layout} with Java2D into a {@link BufferedImage}: the same boxes, arrows and
 * colours as the SVG, for a place that cannot show SVG. The Jupyter kernel the notebooks use
 * (rapaio-jupyter-kernel) renders a returned image as a PNG but knows no {@code image/svg+xml}.
 * Runs headless: nothing here opens a window.
 */
final class ImageWriter {

    private static final Font BODY = new Font(Font.MONOSPACED, Font.PLAIN, 11);
    private static final Font TITLE = new Font(Font.MONOSPACED, Font.BOLD, 13);

    private final Graphics2D g;

    private ImageWriter(Graphics2D g) {
        this.g = g;
    }

    /** The layout painted at {@code scale} (1 = one pixel per layout unit; 2 for a sharp picture on a dense screen). */
    static BufferedImage paint(Layout layout, double scale) {
        int w = (int) Math.ceil(layout.width * scale);
        int h = (int) Math.ceil(layout.height * scale);
        BufferedImage image = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            // Fractional advances: 11 px monospaced text is 6.6 px a character, as Layout assumes, not rounded up to 7.
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.scale(scale, scale);
            new ImageWriter(g).all(layout);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void all(Layout layout) {
        layout.header.forEach(this::label);
        for (Layout.Area area : layout.areas) {
            label(area.caption());
            area.boxes().forEach(this::box);
            if (area.elided() != null) {
                label(area.elided());
            }
        }
        layout.arrows.forEach(this::arrow);
        for (Layout.Swatch s : layout.swatches) {
            Palette.Rule rule = Palette.resolve(Palette.ITEMS, Set.of("item", s.cls()));
            shape(new RoundRectangle2D.Double(s.x(), s.y(), 16, 12, 4, 4), rule);
            label(new Layout.Label(s.x() + 22, s.y() + 10, s.text(), "legend"));
        }
        layout.footer.forEach(this::label);
    }

    private void box(Layout.Box b) {
        Palette.Rule rule = Palette.resolve(Palette.ITEMS, b.classes());
        shape(new RoundRectangle2D.Double(b.x(), b.y(), b.w(), b.h(), 6, 6), rule);
        g.setFont(BODY);
        g.setColor(color(rule.text()));
        double y = b.y() + (b.lines().size() == 1 ? b.h() / 2 + 4 : 14);
        for (String line : b.lines()) {
            g.drawString(line, (float) (b.x() + 5), (float) y);
            y += 13;
        }
    }

    private void shape(java.awt.Shape shape, Palette.Rule rule) {
        g.setColor(color(rule.fill()));
        g.fill(shape);
        g.setColor(color(rule.stroke()));
        g.setStroke(stroke(rule));
        g.draw(shape);
    }

    private void arrow(Layout.Arrow a) {
        Palette.Rule rule = Palette.resolve(Palette.LINKS, a.onPath() ? Set.of("link", "link-" + a.link().kind(), "on-path")
                : Set.of("link", "link-" + a.link().kind()));
        Path2D.Double curve = new Path2D.Double();
        curve.moveTo(a.x1(), a.y1());
        curve.curveTo(a.c1x(), a.c1y(), a.c2x(), a.c2y(), a.x2(), a.y2());
        g.setColor(color(rule.stroke()));
        g.setStroke(stroke(rule));
        g.draw(curve);
        // The head points along the curve's last tangent: from the second control point to the end.
        double dx = a.x2() - a.c2x();
        double dy = a.y2() - a.c2y();
        double len = Math.hypot(dx, dy);
        if (len == 0) {
            return;
        }
        double ux = dx / len;
        double uy = dy / len;
        Path2D.Double head = new Path2D.Double();
        head.moveTo(a.x2(), a.y2());
        head.lineTo(a.x2() - 7 * ux + 3.5 * uy, a.y2() - 7 * uy - 3.5 * ux);
        head.lineTo(a.x2() - 7 * ux - 3.5 * uy, a.y2() - 7 * uy + 3.5 * ux);
        head.closePath();
        g.fill(head);
    }

    private void label(Layout.Label l) {
        g.setFont(l.cls().equals("title") ? TITLE : BODY);
        g.setColor(color(switch (l.cls()) {
            case "title" -> Palette.TITLE;
            case "problem" -> Palette.PROBLEM;
            default -> Palette.MUTED;
        }));
        g.drawString(l.text(), (float) l.x(), (float) l.y());
    }

    private static BasicStroke stroke(Palette.Rule rule) {
        float width = rule.width() == null ? 1f : rule.width().floatValue();
        if (rule.dash() == null || rule.dash().isEmpty()) {
            return new BasicStroke(width);
        }
        String[] parts = rule.dash().split(" ");
        float[] dash = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dash[i] = Float.parseFloat(parts[i]);
        }
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f);
    }

    private static Color color(String hex) {
        return hex == null ? Color.BLACK : new Color(Integer.parseInt(hex.substring(1), 16));
    }
}
