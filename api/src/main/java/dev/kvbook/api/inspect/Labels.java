package dev.kvbook.api.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a picture: what each box says, its tooltip, the "… N more" marker, and the text
 * helpers the {@link Layout} measures with. Text is set in an 11 px monospaced font, whose every
 * character advances {@value #CHAR_W} px (0.6 em), so a width is a count of characters.
 */
final class Labels {

    /** Average advance of one character of the 11 px monospaced font (0.6 em). */
    static final double CHAR_W = 6.6;

    private Labels() {
    }

    /** The text lines of a box: what it is, then (for boxes of two lines) its keys or its size. */
    static List<String> lines(String regionKind, Item item) {
        if (regionKind.equals("header") || regionKind.equals("overflow") || regionKind.equals("free-list")) {
            return List.of(primary(item));
        }
        String second = keys(item);
        if (second.isEmpty() || item.label().contains(second)) {
            second = item.length() > 0 ? item.length() + " B" : "";
        }
        return second.isEmpty() ? List.of(primary(item)) : List.of(primary(item), second);
    }

    static String primary(Item item) {
        String text = item.label().isEmpty() ? item.id() : item.label();
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean saysDelete = lower.contains("tomb") || lower.contains("del");
        return item.kind().equals("tombstone") && !saysDelete ? "del " + text : text;
    }

    /** A short summary of an item's keys: one key, two, or the first and last and how many. */
    static String keys(Item item) {
        List<String> keys = item.keys().stream().map(Labels::bare).toList();
        return switch (keys.size()) {
            case 0 -> "";
            case 1 -> keys.get(0);
            case 2 -> item.kind().equals("table") ? keys.get(0) + " … " + keys.get(1) : keys.get(0) + " " + keys.get(1);
            default -> keys.get(0) + " … " + keys.get(keys.size() - 1) + " (" + keys.size() + ")";
        };
    }

    /**
     * A printable key without the quotes {@link dev.kvbook.api.Keys#toDisplay} puts around text,
     * when nothing is lost by dropping them (no space or quote inside): boxes are narrow. The
     * tooltip keeps the key as given.
     */
    private static String bare(String key) {
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            String inner = key.substring(1, key.length() - 1);
            if (!inner.isEmpty() && inner.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\\')) {
                return inner;
            }
        }
        return key;
    }


    static String tooltip(Item item) {
        StringBuilder t = new StringBuilder(item.label().isEmpty() ? item.id() : item.label());
        t.append("\nid ").append(item.id()).append(", ").append(item.kind());
        if (!item.state().isEmpty()) {
            t.append(", ").append(item.state());
        }
        if (item.offset() >= 0) {
            t.append("\noffset ").append(item.offset()).append(", ").append(item.length()).append(" bytes");
        }
        if (!item.keys().isEmpty()) {
            t.append("\nkeys ").append(String.join(" ", item.keys()));
        }
        item.fields().forEach((k, v) -> t.append('\n').append(k).append(' ').append(v));
        return t.toString();
    }


    static String elidedText(Region region) {
        return "… " + region.elided() + " more (" + region.items().size() + " of " + region.total() + " shown)";
    }


    /** Orders ids as a person would: numbers inside them by value, so seg:1@30 comes before seg:1@118. */
    static int naturally(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            if (Character.isDigit(a.charAt(i)) && Character.isDigit(b.charAt(j))) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = new java.math.BigInteger(a.substring(i, ei)).compareTo(new java.math.BigInteger(b.substring(j, ej)));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (a.charAt(i) != b.charAt(j)) {
                    return Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }


    /** Joins parts into lines of at most {@code max} characters (a part longer than that stands alone). */
    static List<String> wrap(List<String> parts, String sep, int max) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String part : parts) {
            if (line.length() > 0 && line.length() + sep.length() + part.length() > max) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? sep : "").append(part);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code s}, cut with an ellipsis to fit {@code room} pixels. */
    static String fit(String s, double room) {
        int max = Math.max(1, (int) (room / CHAR_W));
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    static double textWidth(String s) {
        return s.codePointCount(0, s.length()) * CHAR_W;
    }
}
