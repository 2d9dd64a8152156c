/**
 * Step 2 of kvbook: an append-only log with tombstones, torn-tail recovery and compaction.
 *
 * <p>Start with {@link dev.kvbook.applog.LogFormat}, the file format, then
 * {@link dev.kvbook.applog.AppendLogStore}, the store. {@link dev.kvbook.applog.LogWriter} and
 * {@link dev.kvbook.applog.LogReader} are the write and read paths, public because step 3 keeps
 * its log segments in this same format. The README lists the entry points in call order.
 */
package dev.kvbook.applog;
