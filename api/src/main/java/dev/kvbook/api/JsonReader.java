package dev.kvbook.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) parser, the reading half of {@link Json}: objects, arrays, strings,
 * numbers, {@code true}, {@code false} and {@code null}. {@code kv web} reads its request bodies
 * with it (such as {@code {"command": "put k v"}}), and tests read back what {@code kv inspect
 * --format json} printed. So small a need does not earn a library.
 *
 * <p>Strict means: anything RFC 8259 does not allow is refused with a message naming the offset —
 * trailing commas, single quotes, comments, leading zeros, unescaped control characters in
 * strings, lone surrogate escapes, text after the value, and a key given twice in one object
 * (the RFC leaves that open; a request that says two things is refused). Nesting deeper than
 * {@value #MAX_DEPTH} is refused too, so a hostile body cannot exhaust the stack. Numbers come
 * back as {@link Long} when integral and in range, else {@link Double}. Objects come back as
 * insertion-ordered maps. Cost: one pass, O(length).
 */
public final class JsonReader {

    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 32;

    /** A body that is not the JSON it should be: the message says what and where. */
    public static final class MalformedJsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(message);
        }
    }

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The one JSON value {@code text} holds (surrounding whitespace allowed). */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.skipSpace();
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.at != text.length()) {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        if (at >= text.length()) {
            throw error("the JSON ends where a value should be");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "' where a value should be");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        at++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("an object's key must be a string in double quotes");
            }
            int keyAt = at;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object value = value(depth);
            if (map.containsKey(key)) {
                at = keyAt;
                throw error("the key \"" + key + "\" is given twice");
            }
            map.put(key, value);
            skipSpace();
            char c = next("',' or '}' after an object's value");
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                at--;
                throw error("expected ',' or '}' after an object's value");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        at++; // '['
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth));
            skipSpace();
            char c = next("',' or ']' after an array's element");
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                at--;
                throw error("expected ',' or ']' after an array's element");
            }
        }
    }

    private String string() {
        at++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next("a closing '\"'");
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                at--;
                throw error("a control character must be escaped inside a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next("an escape after '\\'");
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    at--;
                    throw error("unknown escape '\\" + e + "'");
                }
            }
        }
    }

    /** The character after {@code \\u}, joining a surrogate pair; a lone surrogate is refused. */
    private String unicodeEscape() {
        char first = hex4();
        if (Character.isLowSurrogate(first)) {
            throw error("a lone low surrogate \\u" + Integer.toHexString(first));
        }
        if (!Character.isHighSurrogate(first)) {
            return String.valueOf(first);
        }
        if (!text.startsWith("\\u", at)) {
            throw error("a high surrogate must be followed by a \\u low surrogate");
        }
        at += 2;
        char second = hex4();
        if (!Character.isLowSurrogate(second)) {
            throw error("a high surrogate must be followed by a low surrogate");
        }
        return new String(new char[]{first, second});
    }

    private char hex4() {
        if (at + 4 > text.length()) {
            throw error("\\u needs four hex digits");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) {
                throw error("\\u needs four hex digits");
            }
            value = value * 16 + digit;
        }
        at += 4;
        return (char) value;
    }

    private Object number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
            if (Character.isDigit(peek())) {
                throw error("a number may not have a leading zero");
            }
        } else {
            digits("a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            at++;
            digits("a digit after '.'");
            integral = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            digits("a digit in the exponent");
            integral = false;
        }
        String number = text.substring(start, at);
        if (integral) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException tooLong) {
                return Double.parseDouble(number);
            }
        }
        return Double.parseDouble(number);
    }

    private void digits(String what) {
        if (!Character.isDigit(peek())) {
            throw error("expected " + what);
        }
        while (Character.isDigit(peek())) {
            at++;
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected word where a value should be (true, false or null?)");
        }
        at += word.length();
        return value;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** The next character, or NUL at the end (which no rule accepts where it matters). */
    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private char next(String expected) {
        if (at >= text.length()) {
            throw error("the JSON ends where " + expected + " should be");
        }
        return text.charAt(at++);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private MalformedJsonException error(String what) {
        return new MalformedJsonException("malformed JSON at offset " + at + ": " + what);
    }
}
