package dev.kvbook.testkit.crash;

/** What a store made of one simulated crash. */
public enum CrashOutcome {
    /** It reopened holding one of the states its crash promise allows. */
    INTACT(true),
    /** It refused to open because it was not closed cleanly, and its promise allows that (step 4). */
    REFUSED_UNCLEAN(true),
    /** It reopened without a write it had acknowledged as durable. */
    LOST_ACKNOWLEDGED_WRITE(false),
    /** It reopened holding a state that never existed: a mix, a resurrected delete, garbage. */
    WRONG_DATA(false),
    /** It refused to open with a CorruptionException although its promise says it recovers. */
    CORRUPTION_DETECTED(false),
    /** It opened, but its own checker found problems, or it could not take a write afterwards. */
    DAMAGED(false),
    /** Something other than the promised behaviour: an unexpected exception. */
    ERROR(false);

    private final boolean keepsPromise;

    CrashOutcome(boolean keepsPromise) {
        this.keepsPromise = keepsPromise;
    }

    /** Whether this outcome is within the store's crash promise. */
    public boolean keepsPromise() {
        return keepsPromise;
    }
}
