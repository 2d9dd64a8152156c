package dev.kvbook.testkit.vfs;

/**
 * Thrown by {@link CrashSimVfs} at the moment it "loses power", and by every call after that
 * until the test calls {@link CrashSimVfs#crash()}.
 *
 * <p>It is an {@link Error}, not an exception, on purpose: stores catch I/O exceptions to fail
 * closed, but nothing in a store should catch an {@code Error}, so the simulated power loss
 * unwinds through the store exactly as a real one would stop it: mid-call, with no cleanup.
 */
public final class SimulatedCrash extends Error {

    public SimulatedCrash(String interruptedCall) {
        super("simulated power loss during: " + interruptedCall, null, false, false);
    }
}
