package dev.kvbook.bench.measure;

import dev.kvbook.bench.Dirs;
import dev.kvbook.bench.LsmLoad;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: step 6's load table by itself, the rows {@code bench/run.sh} also produces when step 6
 * is in the run ({@link LsmLoad} says what is loaded and how each byte is counted): for steps 3 to
 * 6, RocksDB and RocksDB in step 6's shape, at each N, the bytes written per put, the write
 * amplification by the store's own count and by the process's write counter, and the bytes on disk
 * per key.
 * <pre>
 * bench/measure.sh LsmLoadTable [N...] [--out bench/results/lsm-load.csv]   # default N: 10^4, 10^5, 10^6
 * </pre>
 * With {@code --out}, the table is also written as CSV (the columns of {@link LsmLoad#HEADER}, then
 * the machine and the date). The counts of bytes barely move from run to run; the load times are
 * this machine's, now.
 */
public final class LsmLoadTable {

    private LsmLoadTable() {
    }

    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Path out = ResultFile.takeOutOption(rest);
        long[] sizes = rest.isEmpty() ? LsmLoad.SIZES : rest.stream().mapToLong(Long::parseLong).toArray();
        Path home = Files.createTempDirectory("kvbench-lsm-load-");
        List<LsmLoad.Row> rows;
        try {
            rows = LsmLoad.run(home, sizes, store -> true);
        } finally {
            Dirs.deleteRecursively(home);
        }
        System.out.println(String.format(Locale.ROOT, "%-20s %9s %12s %8s %8s %10s", "store", "N", "written/put",
                "amp", "amp(os)", "disk/key"));
        ResultFile file = new ResultFile(LsmLoad.HEADER.split(","));
        for (LsmLoad.Row r : rows) {
            System.out.println(String.format(Locale.ROOT, "%-20s %,9d %12.1f %8.2f %8.2f %10.1f", r.store(), r.keys(),
                    r.bytesPerPut(), r.writeAmplification(), r.osWriteAmplification(), r.diskBytesPerKey()));
            file.row(r.cells().toArray());
        }
        if (out != null) {
            file.write(out);
        }
    }
}
