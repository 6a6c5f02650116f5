package io.longshore.core;

import java.util.Optional;

/**
 * A process told apart from any later one that gets the same pid: its pid and its start time
 * (clock ticks after boot from {@code /proc/<pid>/stat} on Linux, else the start instant in
 * epoch milliseconds the JDK reports). Written as {@code <pid>@<start>} in records. Immutable.
 *
 * @param pid       the process id
 * @param startTime when it started, in the unit of this machine (see above)
 */
record ProcessIdentity(long pid, long startTime) {
    ProcessIdentity {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be > 0, was " + pid);
        }
    }

    /** The process that has {@code pid} now, if one runs (a zombie does not). */
    static Optional<ProcessIdentity> of(long pid) {
        if (ProcStat.available()) {
            return ProcStat.read(pid).filter(stat -> !stat.exited())
                    .map(stat -> new ProcessIdentity(pid, stat.startTicks()));
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().startInstant())
                .map(start -> new ProcessIdentity(pid, start.toEpochMilli()));
    }

    /** This JVM. */
    static ProcessIdentity current() {
        long pid = ProcessHandle.current().pid();
        return of(pid).orElseThrow(() -> new IllegalStateException("cannot read the start time of this JVM (pid "
                + pid + ")"));
    }

    /** Parses {@code <pid>@<start>}. */
    static ProcessIdentity parse(String text) {
        int at = text.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("a process identity is <pid>@<start>, was '" + text + "'");
        }
        return new ProcessIdentity(Long.parseLong(text.substring(0, at).trim()),
                Long.parseLong(text.substring(at + 1).trim()));
    }

    /** Whether this very process still runs: same pid, same start time, not a zombie. */
    boolean isRunning() {
        return of(pid).map(now -> now.startTime == startTime).orElse(false);
    }

    @Override
    public String toString() {
        return pid + "@" + startTime;
    }
}
