package dev.kvbook.bench;

/**
 * The two ways a workload opens an engine. Each {@link Contender} says in words what its engine
 * does in each mode ({@link Contender#durability}), because "durable" means different
 * things to different engines and the results must say which.
 */
public enum Durability {

    /** Every write is durable when {@code put} returns: synced per write, or at each commit. */
    DURABLE,

    /** Writes reach the OS (or a background thread) but are not forced per write. */
    RELAXED;

    /** The name used in parameters and the CSV: {@code durable} or {@code relaxed}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The mode called {@code label}. */
    public static Durability of(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
