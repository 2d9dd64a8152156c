/**
 * Step 4: a paged B+tree in one file.
 *
 * <p>The store ({@link dev.kvbook.btree.BTreeStore}) puts a {@link dev.kvbook.btree.BTree} on a
 * {@link dev.kvbook.btree.FilePager}; the tree sees only the {@link dev.kvbook.btree.Pager}
 * interface, which is where step 5 slides its write-ahead log in. The file formats are specified
 * by {@link dev.kvbook.btree.HeaderFormat} (page 0) and {@link dev.kvbook.btree.PageFormat}
 * (every other page). The README's "Reading the source" lists the entry points in call order.
 */
package dev.kvbook.btree;
