package dev.kvbook.testkit.concurrency;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Every thread's stack, with the lock each one waits for and who holds it: what a hung test
 * prints instead of hanging. The same information as {@code jstack}, from
 * {@link ThreadMXBean#dumpAllThreads}; unlike {@link ThreadInfo#toString()} it keeps every frame.
 */
public final class ThreadDump {

    private ThreadDump() {
    }

    /** A dump of all live threads, those whose name starts with {@code firstPrefix} first, then any deadlock found. */
    public static String all(String firstPrefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos = threads.dumpAllThreads(true, true);
        Arrays.sort(infos, Comparator.comparing((ThreadInfo t) -> !t.getThreadName().startsWith(firstPrefix))
                .thenComparing(ThreadInfo::getThreadName));
        StringBuilder out = new StringBuilder();
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null) {
            out.append("DEADLOCK among thread ids ").append(Arrays.toString(deadlocked)).append('\n');
        }
        for (ThreadInfo info : infos) {
            describe(info, out);
        }
        return out.toString();
    }

    private static void describe(ThreadInfo info, StringBuilder out) {
        out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
        if (info.getLockInfo() != null) {
            out.append(" waiting for ").append(info.getLockInfo());
            if (info.getLockOwnerName() != null) {
                out.append(" held by \"").append(info.getLockOwnerName()).append('"');
            }
        }
        out.append('\n');
        StackTraceElement[] stack = info.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            out.append("    at ").append(stack[i]).append('\n');
            for (MonitorInfo monitor : info.getLockedMonitors()) {
                if (monitor.getLockedStackDepth() == i) {
                    out.append("      - locked ").append(monitor).append('\n');
                }
            }
        }
        for (LockInfo sync : info.getLockedSynchronizers()) {
            out.append("    holds ").append(sync).append('\n');
        }
        out.append('\n');
    }
}
