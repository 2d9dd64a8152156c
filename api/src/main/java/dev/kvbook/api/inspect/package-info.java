/**
 * The structured inspection model: a store's insides as data, so a program can draw them (the
 * SVG pictures of notebooks and {@code kv web}), compare two of them (what a command added, moved
 * or freed) and print them ({@code kv inspect --format json}).
 *
 * <p>One vocabulary serves every step. A {@link dev.kvbook.api.inspect.StoreModel} holds
 * {@link dev.kvbook.api.inspect.Region regions} (a file, a tree level, the keydir, a level of
 * tables), each a list of {@link dev.kvbook.api.inspect.Item items} (a record, a page, a frame, a
 * keydir entry, a table), and {@link dev.kvbook.api.inspect.Link links} between items (a child
 * pointer, a keydir entry pointing into a segment). A model is <b>paged</b>: a region of a large
 * store carries its {@code total} and only a {@link dev.kvbook.api.inspect.Window window} of its
 * items, each with its {@code index} in the full list, so what was left out is always countable.
 *
 * <h2>The vocabulary, version {@value dev.kvbook.api.inspect.StoreModel#VERSION}</h2>
 *
 * <p>Kinds are strings so the JSON reads by itself; these are all of them. A reader meeting a kind
 * it does not know should draw it as a plain box: new kinds are added, never renamed or reused,
 * and changing the meaning of one bumps {@link dev.kvbook.api.inspect.StoreModel#VERSION}.
 *
 * <table>
 *   <caption>Region kinds</caption>
 *   <tr><th>kind</th><th>step</th><th>items, in this order</th></tr>
 *   <tr><td>{@code file}</td><td>1, 2</td><td>a file's header then its records, by offset</td></tr>
 *   <tr><td>{@code segment}</td><td>3</td><td>one segment's records by offset (the active segment last)</td></tr>
 *   <tr><td>{@code keydir}</td><td>3</td><td>one {@code keydir-entry} per live key, in key order</td></tr>
 *   <tr><td>{@code tree-level}</td><td>4, 5</td><td>the pages of one tree level, left to right; the root level first</td></tr>
 *   <tr><td>{@code overflow}</td><td>4, 5</td><td>overflow pages, by page number</td></tr>
 *   <tr><td>{@code free-list}</td><td>4, 5</td><td>free pages in list order</td></tr>
 *   <tr><td>{@code header}</td><td>4, 5, 6</td><td>header slots or the manifest</td></tr>
 *   <tr><td>{@code log}</td><td>5, 6</td><td>step 5: the log's frames by offset; step 6: the write-ahead log's records</td></tr>
 *   <tr><td>{@code log-index}</td><td>5</td><td>one {@code index-entry} per page with a committed frame: the page's newest frame</td></tr>
 *   <tr><td>{@code memtable}</td><td>6</td><td>the entries the log holds that no table does yet, in key order</td></tr>
 *   <tr><td>{@code lsm-level}</td><td>6</td><td>the tables of one level: L0 newest first, deeper levels in key order</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Item kinds</caption>
 *   <tr><th>kind</th><th>what</th><th>keys</th></tr>
 *   <tr><td>{@code header}</td><td>a file header or header slot</td><td>none</td></tr>
 *   <tr><td>{@code record}</td><td>a key and its value in a file</td><td>the key</td></tr>
 *   <tr><td>{@code tombstone}</td><td>a delete marker</td><td>the key</td></tr>
 *   <tr><td>{@code keydir-entry}</td><td>the keydir's slot for a key (links {@code points-to} its record)</td><td>the key</td></tr>
 *   <tr><td>{@code branch}</td><td>an interior page (links {@code child}, in order)</td><td>its separators</td></tr>
 *   <tr><td>{@code leaf}</td><td>a leaf page (link {@code next} to its right sibling)</td><td>its keys</td></tr>
 *   <tr><td>{@code overflow}</td><td>a page holding part of a long value (link {@code overflow} to the next)</td><td>none</td></tr>
 *   <tr><td>{@code free}</td><td>a free page (link {@code free-next})</td><td>none</td></tr>
 *   <tr><td>{@code frame}</td><td>a log frame: one page image (link {@code frame-of} to the page)</td><td>the page's keys</td></tr>
 *   <tr><td>{@code index-entry}</td><td>a log-index slot (link {@code points-to} its frame)</td><td>none</td></tr>
 *   <tr><td>{@code table}</td><td>a sorted table; keys are its smallest and largest key</td><td>two</td></tr>
 *   <tr><td>{@code damaged}</td><td>something unreadable; its label says what</td><td>none</td></tr>
 * </table>
 *
 * <p>Item {@code state}: {@code live} (reachable, current), {@code dead} (superseded or deleted:
 * garbage a compaction or merge reclaims), {@code uncommitted} (a log frame no commit covers),
 * {@code free}, {@code damaged}, or empty when the idea does not apply. A {@code tombstone} is
 * {@code dead} when the next compaction or merge drops it: in steps 2 and 3 always (it holds no
 * value, and the rewrite that drops the records it hides drops it too, since a key missing from
 * the rewritten files is absent), so that there the dead items are exactly the reclaimable bytes.
 *
 * <p>Item ids name a place, not a content, and are stable while the place exists: {@code page:12},
 * {@code seg:3@1024} (segment 3, offset 1024), {@code log@4096}, {@code key:6b31} (the keydir's slot
 * for the key whose bytes are hex {@code 6b31}), {@code table:000012}. So comparing two models by
 * id says what a command added and freed; comparing where a key's record sits says what moved
 * ({@link dev.kvbook.api.inspect.StoreModel#locations}). Steps 4 and 5 name a header slot
 * {@code header:0} or {@code header:1} (state {@code live} for the slot a reader trusts, {@code dead}
 * for the older copy, {@code damaged} for an invalid one).
 *
 * <p>A model carries the links <i>from</i> the items it shows (each may point to an item the window
 * left out), so a paged model stays as small as its window.
 *
 * <h2>What a lookup touches, per step</h2>
 *
 * <table>
 *   <caption>Lookup paths</caption>
 *   <tr><th>step</th><th>{@code touched}, in order</th></tr>
 *   <tr><td>4</td><td>the pages from the root to the leaf that holds or would hold the key, then, when
 *       the value is long, its overflow pages in chain order</td></tr>
 *   <tr><td>5</td><td>the same pages, each as a read really finds it: the page's {@code index-entry}
 *       then its {@code frame} when the page's newest committed image is in the log, else the
 *       {@code page:<n>} item (read from the data file)</td></tr>
 *   <tr><td>6</td><td>the key's {@code memtable} entry, which ends the search when there is one; else
 *       each table whose key range covers the key and whose block the get reads, L0 newest first,
 *       then one table per deeper level, up to the one that holds the key. A table whose Bloom filter
 *       rules the key out is <i>not</i> in {@code touched} (none of its blocks is read), but it stays
 *       in the model whatever the window, and the note names it and counts them ("Bloom filters ruled
 *       out 2 without reading them: 000012.sst, 000009.sst")</td></tr>
 * </table>
 *
 * <p>Step 5 names a log-index slot {@code index:<n>} (the entry for page {@code n}) and the log's
 * own header {@code log@0}, a {@code header} item beside the data file's slots. Its frames' states:
 * {@code live}, the newest committed image of its page; {@code dead}, superseded by a newer
 * committed frame, or left behind by a checkpoint from an earlier life of the log (field
 * {@code stale}); {@code uncommitted}, past the last commit frame: the tail recovery cuts off (a torn
 * one has field {@code checksum ok} false); {@code free}, a frame of zeros the log grew by ahead of
 * its frames, to be overwritten (field {@code preallocated}; issue #27); {@code damaged}, a bad
 * frame of a log recovery refuses.
 * Its tree pages carry a field {@code image}: {@code "log frame 12"} or {@code "data file"}.
 *
 * <p>Step 6 names its files by their names, {@code CURRENT} and {@code MANIFEST-000005} (the
 * {@code header} items), a write-ahead log record {@code log:<log number>@<offset>} (state
 * {@code live} when it is its key's newest record in the live logs, {@code dead} when a later one
 * overwrote it), a memtable entry {@code mem:<key hex>} (it {@code points-to} the log record it was
 * replayed from) and a table {@code table:<number>} with six digits, as its file {@code 000012.sst}.
 * Its levels are regions {@code L0}, {@code L1} ... up to the deepest level holding a table (an
 * empty level between is an empty region). Its tables' fields: {@code entries}, {@code bytes},
 * {@code blocks}, {@code bloom bits per key}.
 *
 * <p>A page with more keys than a model lists (step 4 and 5 list up to 64) shows its first and last
 * halves, and the item's field {@code keys shown} says so ({@code "first 32 and last 32 of 180"}).
 */
package dev.kvbook.api.inspect;
