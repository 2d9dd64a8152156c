package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

/**
 * The two tiers of labs. A <b>fill-in</b> lab ({@code // LAB:BEGIN}, {@code labs/labs.tsv}) is one
 * method's heart, 6 to 36 lines, in a design that is given: its tests may pin bytes and call the
 * reference's helpers. A <b>build</b> lab ({@code // BUILD:BEGIN}, {@code labs/build.tsv}) hands the
 * learner a whole piece of the design (a protocol, a format) and judges it by behaviour only: the
 * test classes that pin the reference's design carry {@code @Tag("design:<id>")} and are left out of
 * a build-tier workspace or edition. A build region may hold whole fill-in regions (the labs it
 * subsumes); a build-tier project keeps the step's other fill-in labs as reference code.
 */
public enum LabTier {
    FILL_IN("fill-in", "LAB", LabCatalog.TABLE),
    BUILD("build", "BUILD", LabCatalog.BUILD_TABLE);

    private final String id;
    private final String word;
    private final java.nio.file.Path table;

    LabTier(String id, String word, java.nio.file.Path table) {
        this.id = id;
        this.word = word;
        this.table = table;
    }

    /** The name learners type after {@code --tier}: {@code fill-in} or {@code build}. */
    public String id() {
        return id;
    }

    /** The marker word: {@code LAB} or {@code BUILD} (as in {@code // LAB:BEGIN} and in the throw's message). */
    public String word() {
        return word;
    }

    /** The catalog of this tier's labs, relative to the repository root. */
    public java.nio.file.Path table() {
        return table;
    }

    /** The tier named {@code name}; {@code null} (no option given) is the fill-in tier. */
    public static LabTier parse(String name) {
        if (name == null) {
            return FILL_IN;
        }
        for (LabTier tier : values()) {
            if (tier.id.equals(name)) {
                return tier;
            }
        }
        throw new UsageException("no tier '" + name + "'; the tiers are fill-in (the default) and build");
    }
}
