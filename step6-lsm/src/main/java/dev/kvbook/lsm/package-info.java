/**
 * Step 6 of kvbook: a log-structured merge tree over step 2's log.
 *
 * <p>Start with {@link dev.kvbook.lsm.LsmStore}'s class comment, then the memtable and
 * compaction, then the formats. The README lists the entry points in call order.
 */
package dev.kvbook.lsm;
