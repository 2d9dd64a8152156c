package dev.kvbook.bench.measure;

import dev.kvbook.bench.BloomFalsePositives;
import dev.kvbook.bench.Dirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: step 6's Bloom filters, measured in the store against {@code (1 - e^(-kn/m))^k}
 * ({@link BloomFalsePositives} says how), at 10 and 5 bits per key: the rows {@code bench/run.sh}
 * also produces when step 6 is in the run.
 * <pre>
 * bench/measure.sh BloomFilterRate [keys] [--out bench/results/bloom-fp.csv]   # default 10^6 keys
 * </pre>
 * With {@code --out}, also written as CSV (the columns of {@link BloomFalsePositives#HEADER}, then
 * the machine and the date). The rates are counts: the same keys give the same rate on any machine.
 */
public final class BloomFilterRate {

    private BloomFilterRate() {
    }

    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Path out = ResultFile.takeOutOption(rest);
        long keys = rest.isEmpty() ? 1_000_000 : Long.parseLong(rest.get(0));
        Path home = Files.createTempDirectory("kvbench-bloom-");
        List<BloomFalsePositives.Row> rows;
        try {
            rows = BloomFalsePositives.run(home, keys, BloomFalsePositives.BITS_PER_KEY);
        } finally {
            Dirs.deleteRecursively(home);
        }
        ResultFile file = new ResultFile(BloomFalsePositives.HEADER.split(","));
        for (BloomFalsePositives.Row r : rows) {
            System.out.println(String.format(Locale.ROOT, "%2d bits per key, k = %d: %.3f%% measured (%,d of %,d), "
                    + "%.3f%% by the formula, %.2f×", r.bitsPerKey(), r.hashFunctions(), 100 * r.measured(), r.passed(),
                    r.consulted(), 100 * r.formula(), r.ratio()));
            file.row(r.cells().toArray());
        }
        if (out != null) {
            file.write(out);
        }
    }
}
