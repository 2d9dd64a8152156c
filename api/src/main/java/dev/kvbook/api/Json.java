package dev.kvbook.api;

import java.util.List;
import java.util.Map;

/**
 * JSON text (RFC 8259) for {@code kv}'s {@code --json} outputs and the inspection model, written by hand: they hold only
 * strings, numbers, booleans, lists and maps, which need no library. Maps keep their iteration
 * order, so a {@link java.util.LinkedHashMap} prints its keys in the order they were put.
 */
public final class Json {

    private Json() {
    }

    /** {@code value} as indented JSON: a Map, List, String, Number, Boolean or null, nested freely. */
    public static String write(Object value) {
        StringBuilder json = new StringBuilder();
        write(json, value, "");
        return json.toString();
    }

    private static void write(StringBuilder json, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            String inner = indent + "  ";
            json.append('{');
            String separator = "\n";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(separator).append(inner).append(string(String.valueOf(entry.getKey()))).append(": ");
                write(json, entry.getValue(), inner);
                separator = ",\n";
            }
            json.append(map.isEmpty() ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            String inner = indent + "  ";
            json.append('[');
            String separator = "\n";
            for (Object item : list) {
                json.append(separator).append(inner);
                write(json, item, inner);
                separator = ",\n";
            }
            json.append(list.isEmpty() ? "]" : "\n" + indent + "]");
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException("JSON has no " + number);
            }
            json.append(number);
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            json.append(string(text));
        } else {
            throw new IllegalArgumentException("no JSON for a " + value.getClass().getSimpleName());
        }
    }

    /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    public static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

}
