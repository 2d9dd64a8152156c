package dev.kvbook.api.inspect;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Draws a {@link StoreModel}: boxes for items, arrows for links, the changes and the lookup path of
 * a {@link Highlight} marked, a title with the store and its facts, and a legend of what the colours
 * mean. Plain Java with no libraries, so it runs in the notebooks' kernel, in {@code kv web} and in
 * a unit test alike.
 *
 * <p>One layout, two drawings: {@link Layout} decides where everything goes (a keydir as a column
 * of slots pointing into its segments, a tree's levels with the root centred, a log as a strip of
 * frames, a level of tables sized by bytes ...), then {@link #svg} writes it as SVG and
 * {@link #image} paints it with Java2D. Both read their colours from one table ({@link Palette}).
 *
 * <h2>The SVG's classes (a contract: the web page's script and the tests select by them)</h2>
 * <ul>
 *   <li>each region: {@code <g class="region kind-K" data-id="ID">} with the items inside it;</li>
 *   <li>each item drawn: {@code <g class="item kind-K state-S" data-id="ID">} ({@code state-S} left
 *       out when the item's state is empty), plus the classes {@code added}, {@code moved},
 *       {@code freed} and {@code on-path} as the highlight says;</li>
 *   <li>each link whose two ends are drawn: {@code <path class="link link-K" data-from="ID" data-to="ID">},
 *       plus {@code on-path} when both ends are on the lookup path;</li>
 *   <li>a region that left items out: one {@code <text class="elided">} saying how many.</li>
 * </ul>
 * So the number of {@code g.item.kind-leaf} elements equals the model's shown leaves, and so on.
 * Other elements (the title, captions, the legend's {@code rect.swatch}) use other class names.
 * Items freed by a command that are no longer in the model cannot be drawn; the legend lists their ids.
 *
 * <p>Cost: time and output linear in the items and links of the model, which a {@link Window}
 * already bounds.
 */
public final class Picture {

    private Picture() {
    }

    /** The model drawn as a standalone SVG document (UTF-8 text), with {@code highlight}'s marks (null: none). */
    public static String svg(StoreModel model, Highlight highlight) {
        return SvgWriter.write(model, Layout.of(model, highlight));
    }

    /** The model drawn as a standalone SVG document, nothing highlighted but the model's own lookup path. */
    public static String svg(StoreModel model) {
        return svg(model, Highlight.pathOf(model));
    }

    /**
     * The same drawing as {@link #svg}, painted with Java2D at {@code scale} (1 = as large as the
     * SVG). A Jupyter Java kernel shows a {@code BufferedImage} returned by a cell as a PNG.
     */
    public static BufferedImage image(StoreModel model, Highlight highlight, double scale) {
        if (!(scale > 0 && scale <= 4)) {
            throw new IllegalArgumentException("scale must be more than 0 and at most 4, was " + scale);
        }
        return ImageWriter.paint(Layout.of(model, highlight), scale);
    }

    /** {@link #image(StoreModel, Highlight, double)} at scale 1. */
    public static BufferedImage image(StoreModel model, Highlight highlight) {
        return image(model, highlight, 1);
    }

    /** {@link #image(StoreModel, Highlight, double)} at scale 1, nothing highlighted but the model's lookup path. */
    public static BufferedImage image(StoreModel model) {
        return image(model, Highlight.pathOf(model));
    }

    /** The image encoded as PNG bytes, for a file or an HTTP response. */
    public static byte[] png(StoreModel model, Highlight highlight, double scale) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!javax.imageio.ImageIO.write(image(model, highlight, scale), "png", bytes)) {
                throw new IllegalStateException("this JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
