package dev.kvbook.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link StoreProvider#verify} found: the checks it made and every problem, in file order.
 *
 * @param store    the store's name, such as {@code "step1"}
 * @param path     the store that was checked
 * @param checked  what was checked, one line each ("header magic and version", "CRC32C of 412
 *                 payload bytes", ...), so a learner sees what a checker looks at
 * @param problems every problem found, each naming where; empty when the store is healthy
 */
public record VerifyReport(String store, Path path, List<String> checked, List<String> problems) {

    public VerifyReport {
        checked = List.copyOf(checked);
        problems = List.copyOf(problems);
    }

    /** Returns whether no problem was found. */
    public boolean isClean() {
        return problems.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(store + " " + path + ": "
                + (isClean() ? "clean" : Plural.of(problems.size(), "problem")) + "\n");
        checked.forEach(line -> text.append("  checked: ").append(line).append('\n'));
        problems.forEach(line -> text.append("  PROBLEM: ").append(line).append('\n'));
        return text.toString();
    }
}
