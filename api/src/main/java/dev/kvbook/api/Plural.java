package dev.kvbook.api;

/**
 * A count and its noun that agree: {@code 1 key}, {@code 2 keys}, {@code 0 pages}. The stores'
 * checkers and inspectors print counts for people, and "1 keys" or "1 page(s)" makes a learner
 * stop and wonder whether something is wrong. Plain English plurals only: the nouns kvbook counts
 * (key, page, record, segment, file...) all take an "s", and the two-argument form covers the rest.
 *
 * <p>Contract addition (issue #18): a helper, not part of any store's behaviour.
 */
public final class Plural {

    private Plural() {
    }

    /** {@code count} and {@code noun}, with an "s" unless the count is 1: {@code 3 records}. */
    public static String of(long count, String noun) {
        return of(count, noun, noun + "s");
    }

    /** {@code count} and the noun in the number it needs: {@code of(2, "entry", "entries")}. */
    public static String of(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }
}
