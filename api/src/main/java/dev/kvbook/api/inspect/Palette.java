package dev.kvbook.api.inspect;

import java.util.List;
import java.util.Set;

/**
 * How a picture colours what it draws, as one ordered table both drawings read: the SVG turns it
 * into its {@code <style>} sheet, the PNG ({@link ImageWriter}) applies it rule by rule. So the two
 * pictures of one model cannot disagree about what "freed" looks like.
 *
 * <p>A shape carries classes ({@code item kind-leaf state-live added}); every rule whose class the
 * shape has applies, in table order, and a later rule overrides what an earlier one set. The order
 * is therefore the precedence: kind, then state, then what a command changed, then the path of a
 * {@code get} (its thick outline stays visible on top of any fill).
 */
final class Palette {

    /**
     * One rule: for shapes with class {@code cls}, the fill, the outline, its width, its dash
     * pattern ("4 2": 4 on, 2 off) and the text colour. A null field leaves what earlier rules set.
     */
    record Rule(String cls, String fill, String stroke, Double width, String dash, String text) {
    }

    /** The item rules, weakest first. */
    static final List<Rule> ITEMS = List.of(
            new Rule("item", "#ffffff", "#5a6270", 1.0, "", "#1b1f24"),
            new Rule("kind-header", "#eceff4", null, null, null, null),
            new Rule("kind-branch", "#e3ebfa", null, null, null, null),
            new Rule("kind-leaf", "#f4f8ff", null, null, null, null),
            new Rule("kind-keydir-entry", "#fff6db", "#a08a3c", null, null, null),
            new Rule("kind-index-entry", "#fff6db", "#a08a3c", null, null, null),
            new Rule("kind-frame", "#eef7e4", "#5d7f3a", null, null, null),
            new Rule("kind-table", "#f4e8f7", "#7b5285", null, null, null),
            new Rule("kind-overflow", "#f1f1f1", null, null, null, null),
            new Rule("kind-free", "#fafafa", "#9aa0a6", null, "2 2", "#80868b"),
            new Rule("kind-tombstone", "#fbe3e3", "#a33a3a", null, "4 2", "#8a1f1f"),
            new Rule("kind-damaged", "#ffcdd2", "#c62828", 2.0, null, "#8e0000"),
            new Rule("state-dead", "#e4e4e4", "#a0a0a0", null, null, "#7a7a7a"),
            new Rule("state-uncommitted", null, null, null, "5 3", null),
            new Rule("state-free", "#fafafa", "#9aa0a6", null, "2 2", "#80868b"),
            new Rule("state-damaged", "#ffcdd2", "#c62828", 2.0, null, "#8e0000"),
            new Rule("moved", "#d3e4ff", "#1565c0", 2.0, null, null),
            new Rule("added", "#c9f2c7", null, 2.0, null, null),
            new Rule("freed", "#ffd9d9", "#c62828", 2.0, "4 2", null),
            new Rule("on-path", null, "#e65100", 3.0, null, null));

    /** The link rules, weakest first; {@code fill} is unused (links are lines). */
    static final List<Rule> LINKS = List.of(
            new Rule("link", null, "#7b8794", 1.2, "", null),
            new Rule("link-child", null, "#5a6270", null, null, null),
            new Rule("link-next", null, "#90a4ae", null, "3 2", null),
            new Rule("link-points-to", null, "#b08900", null, null, null),
            new Rule("link-frame-of", null, "#5d7f3a", null, "5 2", null),
            new Rule("link-free-next", null, "#9aa0a6", null, "2 2", null),
            new Rule("on-path", null, "#e65100", 2.5, "", null));

    /** The legend's swatches reuse the highlight colours under their own class names. */
    static final List<String> HIGHLIGHTS = List.of("added", "moved", "freed", "on-path");

    /** Colours of the text that is not inside a box. */
    static final String TITLE = "#1b1f24";
    static final String MUTED = "#5f6b7a";
    static final String PROBLEM = "#b00020";

    private Palette() {
    }

    /** The rules of {@code table} that apply to a shape with these classes, folded into one. */
    static Rule resolve(List<Rule> table, Set<String> classes) {
        String fill = null;
        String stroke = null;
        Double width = null;
        String dash = null;
        String text = null;
        for (Rule rule : table) {
            if (!classes.contains(rule.cls())) {
                continue;
            }
            fill = rule.fill() != null ? rule.fill() : fill;
            stroke = rule.stroke() != null ? rule.stroke() : stroke;
            width = rule.width() != null ? rule.width() : width;
            dash = rule.dash() != null ? rule.dash() : dash;
            text = rule.text() != null ? rule.text() : text;
        }
        return new Rule("", fill, stroke, width, dash, text);
    }

    /** The table as CSS for the SVG: items style their {@code rect} and {@code text}, links their {@code path}. */
    static String css() {
        StringBuilder css = new StringBuilder();
        css.append("text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:11px}")
                .append(".title{font-size:13px;font-weight:bold;fill:").append(TITLE).append('}')
                .append(".facts,.region-label,.elided,.legend,.lookup{fill:").append(MUTED).append('}')
                .append(".problem{fill:").append(PROBLEM).append('}');
        for (Rule rule : ITEMS) {
            String sel = rule.cls().equals("item") ? "g.item" : "g.item." + rule.cls();
            css.append(sel).append(">rect{").append(declarations(rule)).append('}');
            if (rule.text() != null) {
                css.append(sel).append(">text{fill:").append(rule.text()).append('}');
            }
        }
        for (Rule rule : LINKS) {
            String sel = rule.cls().equals("link") ? "path.link" : "path.link." + rule.cls();
            css.append(sel).append('{').append(declarations(new Rule(rule.cls(), null, rule.stroke(), rule.width(), rule.dash(), null)))
                    .append(rule.cls().equals("link") ? "fill:none;opacity:.85;" : "").append('}');
        }
        for (String cls : HIGHLIGHTS) {
            Rule rule = resolve(ITEMS, Set.of("item", cls));
            css.append(".swatch-").append(cls).append('{').append(declarations(rule)).append('}');
        }
        return css.toString();
    }

    private static String declarations(Rule rule) {
        StringBuilder d = new StringBuilder();
        if (rule.fill() != null) {
            d.append("fill:").append(rule.fill()).append(';');
        }
        if (rule.stroke() != null) {
            d.append("stroke:").append(rule.stroke()).append(';');
        }
        if (rule.width() != null) {
            d.append("stroke-width:").append(rule.width()).append(';');
        }
        if (rule.dash() != null) {
            d.append("stroke-dasharray:").append(rule.dash().isEmpty() ? "none" : rule.dash()).append(';');
        }
        return d.toString();
    }
}
