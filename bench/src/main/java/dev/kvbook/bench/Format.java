package dev.kvbook.bench;

import java.util.Locale;

/** How figures are written in the results page: three significant digits, with k and M. */
final class Format {

    private Format() {
    }

    /** An operations-per-second figure: {@code 812}, {@code 12.3k}, {@code 4.56M}; {@code —} when missing. */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond) || perSecond <= 0) {
            return "—";
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.3gk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.3g", perSecond);
    }

    /** A plain number with three significant digits, or {@code —}. */
    static String number(double value) {
        return Double.isNaN(value) || value < 0 ? "—" : String.format(Locale.ROOT, "%.3g", value);
    }
}
