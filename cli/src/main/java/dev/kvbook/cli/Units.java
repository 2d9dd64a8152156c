package dev.kvbook.cli;

import java.util.Locale;

/**
 * Numbers for people: byte sizes ({@code 1.2 MB}), durations ({@code 850 ms}), counts
 * ({@code 10,000}) and rates ({@code 6,700/s}). Sizes use decimal units (1 MB = 1,000,000 bytes),
 * as disks are sold and as {@code ls -lh --si} shows them.
 */
final class Units {

    private Units() {
    }

    /** {@code 116 B}, {@code 12.3 KB}, {@code 1.2 MB}, {@code 3.40 GB}. */
    static String bytes(double bytes) {
        if (bytes < 1_000) {
            return Math.round(bytes) + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1_000 && unit < units.length - 1) {
            value /= 1_000;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    /** {@code 10,000}. */
    static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** {@code 1 write}, {@code 2 writes}, {@code 10,000 keys}: a count and its noun, plural unless the count is 1. */
    static String count(long count, String noun) {
        return count(count) + " " + noun + (count == 1 ? "" : "s");
    }

    /** {@code 1 live entry}, {@code 2 live entries}: a count and the noun in the number it needs. */
    static String count(long count, String singular, String plural) {
        return count(count) + " " + (count == 1 ? singular : plural);
    }

    /**
     * {@code 0.8 ms}, {@code 850 ms}, {@code 3.2 s}, {@code 2 min 5 s}. Each unit is chosen by the
     * value as it will be printed, so 999.6 ms is {@code 1.0 s}, never {@code 1000 ms}.
     */
    static String duration(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 9.95) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (Math.round(ms) < 1_000) {
            return Math.round(ms) + " ms";
        }
        double seconds = ms / 1_000;
        if (seconds < 99.95) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        return whole < 3_600 ? whole / 60 + " min " + whole % 60 + " s" : String.format(Locale.ROOT, "%.1f h", whole / 3_600.0);
    }

    /** Operations per second as {@code 6,700/s}, with two significant figures at most above 100. */
    static String rate(long ops, long nanos) {
        if (ops == 0) {
            return "-";
        }
        if (nanos <= 0) {
            return "∞/s";
        }
        double perSecond = ops * 1e9 / nanos;
        return perSecond < 100 ? String.format(Locale.ROOT, "%.1f/s", perSecond) : count(roundTo2Figures(perSecond)) + "/s";
    }

    /** Rounds to two significant figures: 6,734 → 6,700; timings are not more precise than that. */
    static long roundTo2Figures(double value) {
        if (value < 100) {
            return Math.round(value);
        }
        double scale = Math.pow(10, Math.floor(Math.log10(value)) - 1);
        return Math.round(Math.round(value / scale) * scale);
    }

    /** {@code 2.0}, {@code 0.5}, {@code 1,164}: a ratio with one decimal below 100. */
    static String ratio(double value) {
        return value < 100 ? String.format(Locale.ROOT, "%.1f", value) : count(Math.round(value));
    }
}
