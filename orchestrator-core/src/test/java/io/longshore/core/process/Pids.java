package io.longshore.core.process;

import io.longshore.api.ContainerInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers to read a process runtime's ids and ask the OS about the processes. Stateless. */
public final class Pids {
    private Pids() {
    }

    public static long of(String containerId) {
        if (!containerId.startsWith("pid-")) {
            throw new IllegalArgumentException("not a process id: " + containerId);
        }
        return Long.parseLong(containerId.substring("pid-".length()));
    }

    static long of(ContainerInfo info) {
        return of(info.id());
    }

    /**
     * Whether {@code pid} runs: alive and not a zombie. Orphans killed in a container whose PID 1
     * does not reap stay zombies; they are gone for every purpose but the process table. The
     * zombie state is read first: a zombie reaped between the two reads would otherwise look alive
     * (see ProcessTree.isRunning).
     */
    public static boolean running(long pid) {
        return !zombie(pid) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static boolean running(ProcessHandle handle) {
        return !zombie(handle.pid()) && handle.isAlive();
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
