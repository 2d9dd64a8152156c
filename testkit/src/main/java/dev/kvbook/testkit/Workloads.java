package dev.kvbook.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Ready-made workloads for the crash, fault and corruption drivers.
 */
public final class Workloads {

    private Workloads() {
    }

    /**
     * A reproducible random workload of {@code length} operations over a dozen keys: mostly puts
     * (values from a few bytes to about 700, so files cross sector boundaries), deletes, now and
     * then one of {@code storeSpecific} (compaction, merge, a batch), a sync or a reopen.
     */
    public static List<Op> random(int length, long seed, List<Op> storeSpecific) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            String key = "key" + random.nextInt(12);
            int choice = random.nextInt(20);
            if (choice < 11) {
                ops.add(Op.put(key, "value-" + i + "-" + "x".repeat(random.nextInt(700))));
            } else if (choice < 16) {
                ops.add(Op.delete(key));
            } else if (choice < 18 && !storeSpecific.isEmpty()) {
                ops.add(storeSpecific.get(random.nextInt(storeSpecific.size())));
            } else if (choice < 19) {
                ops.add(Op.sync());
            } else {
                ops.add(Op.reopen());
            }
        }
        return ops;
    }
}
