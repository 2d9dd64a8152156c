package dev.kvbook.lsm;

import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table writer on its own: cells added in order come back from the table it wrote, cut into
 * blocks of about the block size, with the smallest and largest keys the manifest records.
 */
@Tag("lab:step6.table-writer")
class TableWriterTest {

    private final CrashSimVfs vfs = new CrashSimVfs();

    private static List<Cell> cells(int n) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cells.add(i % 7 == 3 ? Tables.tombstone(String.format("k%04d", i)) : Tables.put(String.format("k%04d", i), "v" + i));
        }
        return cells;
    }

    @Test
    void everyCellAddedComesBackInOrderTombstonesIncluded() {
        List<Cell> cells = cells(300);
        TableInfo info = Tables.write(vfs, 1, 128, cells);
        Table table = Tables.open(vfs, info);
        try {
            List<String> read = new ArrayList<>();
            table.cells(null, null).forEachRemaining(c -> read.add(c.toString()));
            assertThat(read).isEqualTo(cells.stream().map(Cell::toString).toList());
            assertThat(table.cellCount()).isEqualTo(300);
            for (Cell c : cells) {
                assertThat(table.get(c.key())).as("get %s", c).hasToString(c.toString());
            }
            assertThat(table.get(utf8("k0000x"))).isNull();
        } finally {
            table.release();
        }
    }

    @Test
    void theTableRecordsItsSmallestAndLargestKey() {
        TableInfo info = Tables.write(vfs, 2, 128, cells(50));
        assertThat(info.smallest()).isEqualTo(utf8("k0000"));
        assertThat(info.largest()).isEqualTo(utf8("k0049"));
    }

    @Test
    void aBlockClosesAtTheFirstCellThatFillsItSoBlocksHoldAboutTheBlockSize() {
        List<Cell> cells = cells(300);
        TableInfo info = Tables.write(vfs, 3, 128, cells);
        Table table = Tables.open(vfs, info);
        try {
            assertThat(table.blockCount()).as("300 cells of 12 to 15 bytes in 128-byte blocks").isBetween(25, 40);
            Iterator<Cell> expected = cells.iterator();
            for (int b = 0; b < table.blockCount(); b++) {
                List<Cell> block = table.readBlock(b);
                int bytes = block.stream().mapToInt(Cell::encodedSize).sum();
                if (b < table.blockCount() - 1) {
                    assertThat(bytes).as("block %d, full", b).isGreaterThanOrEqualTo(128);
                }
                assertThat(bytes - block.get(block.size() - 1).encodedSize()).as("block %d, before its last cell", b)
                        .isLessThan(128);
                block.forEach(c -> assertThat(c).hasToString(expected.next().toString()));
            }
        } finally {
            table.release();
        }
    }
}
