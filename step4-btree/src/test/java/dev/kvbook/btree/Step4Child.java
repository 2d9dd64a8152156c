package dev.kvbook.btree;

import dev.kvbook.api.Keys;

import java.nio.file.Path;

/**
 * The child JVM of {@link BTreeProcessTest}. {@code dirty <file>}: writes through a 3-page cache
 * without syncing until pages have been written back (the file is marked DIRTY), says
 * {@code dirty}, and waits to be killed. {@code clean <file>}: writes 100 keys, closes the store,
 * says {@code closed}, and waits. {@code durable <file>}: writes durably, printing {@code ack N}
 * after each put, until killed.
 */
public final class Step4Child {

    private Step4Child() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "dirty" -> {
                BTreeStore store = BTreeStore.open(file, BTreeStore.Options.defaults().withSyncEveryWrite(false).withCachePages(3));
                for (int i = 0; i < 300; i++) {
                    store.put(key(i), value(i));
                }
                System.out.println("dirty");
            }
            case "clean" -> {
                try (BTreeStore store = BTreeStore.open(file)) {
                    for (int i = 0; i < 100; i++) {
                        store.put(key(i), value(i));
                    }
                }
                System.out.println("closed");
            }
            case "durable" -> {
                BTreeStore store = BTreeStore.open(file);
                System.out.println("ready");
                for (int i = 0; ; i++) {
                    store.put(key(i), value(i));
                    System.out.println("ack " + i);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static byte[] key(int i) {
        return Keys.utf8(String.format("key-%06d", i));
    }

    static byte[] value(int i) {
        return Keys.utf8("value-" + i + "-" + "x".repeat(i % 200));
    }
}
