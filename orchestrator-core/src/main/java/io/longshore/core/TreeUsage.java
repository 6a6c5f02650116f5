package io.longshore.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * One reading of what a process tree has used: CPU time and resident memory. The CPU time counts
 * every live process of the tree ({@code utime + stime}) <em>and</em> what the children each of
 * them waited for had used ({@code cutime + cstime} of {@code /proc/<pid>/stat}): a short-lived
 * child that exited between two readings is gone from the tree, and only its parent's
 * {@code cutime} still holds its CPU time. Where there is no procfs it falls back to the JDK's
 * per-process CPU time (children that exited are then missed). Immutable.
 *
 * @param cpuNanos CPU time used by the tree and its reaped descendants
 * @param rssBytes resident memory of the live processes
 */
record TreeUsage(long cpuNanos, long rssBytes) {
    /**
     * Clock ticks per second of {@code /proc/<pid>/stat} times: Linux reports them in USER_HZ,
     * which is 100 on every architecture the JDK runs on.
     */
    static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
    /** Fields 14 to 17 of a stat line (utime, stime, cutime, cstime), counted after the state (field 3). */
    private static final int FIRST_TIME = 11;
    private static final int LAST_TIME = 14;

    /** Reads the usage of a process tree. Implementations are thread-safe. */
    @FunctionalInterface
    interface Reader {
        /** The usage of {@code roots} and their live descendants now. */
        TreeUsage read(List<ProcessHandle> roots);

        /** Reads {@code /proc} and the JDK's process handles. */
        static Reader ofProcfs() {
            return TreeUsage::read;
        }
    }

    private static TreeUsage read(List<ProcessHandle> roots) {
        long cpuNanos = 0;
        long rssBytes = 0;
        for (ProcessHandle member : ProcessTree.withDescendants(roots)) {
            cpuNanos += statCpuNanos(member.pid()).orElseGet(() ->
                    member.info().totalCpuDuration().map(Duration::toNanos).orElse(0L));
            rssBytes += ProcStatus.residentBytes(member.pid());
        }
        return new TreeUsage(cpuNanos, rssBytes);
    }

    private static OptionalLong statCpuNanos(long pid) {
        try {
            return cpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * {@code utime + stime + cutime + cstime} of a stat line, in nanoseconds; empty when malformed.
     * The command name may hold spaces and parentheses, so fields are counted from the last ')'.
     */
    static OptionalLong cpuNanos(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0 || end + 2 >= stat.length()) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(end + 2).trim().split(" ");
        if (fields.length <= LAST_TIME) {
            return OptionalLong.empty();
        }
        try {
            long ticks = 0;
            for (int field = FIRST_TIME; field <= LAST_TIME; field++) {
                ticks += Long.parseLong(fields[field]);
            }
            return OptionalLong.of(ticks * NANOS_PER_TICK);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
