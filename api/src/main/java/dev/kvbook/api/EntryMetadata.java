package dev.kvbook.api;

import java.time.Instant;

/**
 * When a {@link PersistentMap} entry was created and last used, from
 * {@link PersistentMap#metadata}.
 *
 * @param created    when the entry's current value was put: a put that replaces a value sets it
 *                   anew (as Redis's {@code SET} resets a key's time to live)
 * @param lastAccess the last read by key ({@code get} and the methods built on it) or write, as
 *                   this process knows it: the time written in the store, or a later read this
 *                   process has noted and not yet written (see {@link MapOptions#accessBatch})
 */
public record EntryMetadata(Instant created, Instant lastAccess) {
}
