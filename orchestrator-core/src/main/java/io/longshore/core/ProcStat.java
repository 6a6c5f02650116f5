package io.longshore.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One reading of Linux's {@code /proc/<pid>/stat}: the state letter, the process group and the
 * start time (clock ticks since boot, which tells a process apart from a later one that got the
 * same pid). All three come from one read, so they describe the same process. Immutable.
 *
 * @param pid          the process
 * @param state        the state letter ({@code R}, {@code S}, {@code Z} for a zombie, ...)
 * @param processGroup the process group id
 * @param startTicks   field 22: when the process started, in clock ticks after boot
 */
record ProcStat(long pid, char state, long processGroup, long startTicks) {
    private static final int STATE = 0;
    private static final int PROCESS_GROUP = 2;
    private static final int START_TIME = 19;

    /** The current reading, or empty where there is no procfs or no such process. */
    static Optional<ProcStat> read(long pid) {
        try {
            return parse(pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether this machine has a procfs to read. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /**
     * Parses a stat line. The command name in parentheses may hold spaces and parentheses, so the
     * fields are counted from the <em>last</em> {@code ')'}. Empty when the line is malformed.
     */
    static Optional<ProcStat> parse(long pid, String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0 || end + 2 >= stat.length()) {
            return Optional.empty();
        }
        String[] fields = stat.substring(end + 2).trim().split(" ");
        if (fields.length <= START_TIME || fields[STATE].length() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(pid, fields[STATE].charAt(0),
                    Long.parseLong(fields[PROCESS_GROUP]), Long.parseLong(fields[START_TIME])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the process has exited and only waits to be reaped (zombie, or dead). */
    boolean exited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
