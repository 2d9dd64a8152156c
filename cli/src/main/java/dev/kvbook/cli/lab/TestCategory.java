package dev.kvbook.cli.lab;

import java.util.List;
import java.util.Locale;

/**
 * What a test checks, guessed from its class and method names, so that {@code kv lab check} can say
 * "your crash handling fails" rather than list 300 names.
 *
 * <p>The mapping, first match wins:
 * <ol>
 * <li>the class name (lowercase) contains a word of a category's class words: a
 *     {@code PickledMapStoreCrashTest} is all crash tests, a {@code LogFormatTest} all format tests;</li>
 * <li>else the method name (lowercase) contains a word of a category's method words:
 *     {@code reopenSeesEveryWrite} is a reopen test;</li>
 * <li>else it is a basic-operations test (the contract suites' put/get/delete/scan claims).</li>
 * </ol>
 * The categories are tried in the order declared below, for class words first, then method words.
 */
public enum TestCategory {
    FORMAT("format", List.of("format", "golden", "hint", "inspector"),
            List.of("format", "golden", "encode", "decode", "header", "magic", "version", "layout", "bytes")),
    CORRUPTION("corruption", List.of("corrupt", "hostile", "verif"),
            List.of("corrupt", "damage", "checksum", "crc", "flip", "garbage", "hostile", "bitrot")),
    CRASH("crash", List.of("crash", "process", "fault", "failure", "recovery", "kill", "syncedbefore"),
            List.of("crash", "torn", "kill", "recover", "fsync", "powerloss", "fail", "unclean", "truncat")),
    CONCURRENCY("concurrency", List.of("concurren", "thread"),
            List.of("concurren", "thread", "parallel", "race", "lock", "reader", "writers")),
    REOPEN("reopen", List.of("reopen", "persist"),
            List.of("reopen", "persist", "survive", "restart", "closeandopen", "afterclose")),
    BASIC("basic operations", List.of(), List.of());

    private final String label;
    private final List<String> classWords;
    private final List<String> methodWords;

    TestCategory(String label, List<String> classWords, List<String> methodWords) {
        this.label = label;
        this.classWords = classWords;
        this.methodWords = methodWords;
    }

    /** How the checklist names it: "format", "basic operations", ... */
    public String label() {
        return label;
    }

    /** The category of test {@code method} of class {@code className} (simple or qualified). */
    public static TestCategory of(String className, String method) {
        String simple = className.substring(className.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String name = method.toLowerCase(Locale.ROOT);
        for (TestCategory category : values()) {
            if (category.classWords.stream().anyMatch(simple::contains)) {
                return category;
            }
        }
        for (TestCategory category : values()) {
            if (category.methodWords.stream().anyMatch(name::contains)) {
                return category;
            }
        }
        return BASIC;
    }
}
