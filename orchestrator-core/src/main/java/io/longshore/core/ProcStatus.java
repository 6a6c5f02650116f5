package io.longshore.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory from Linux's {@code /proc/<pid>/status}. Stateless. */
final class ProcStatus {
    private static final String RSS_FIELD = "VmRSS:";

    private ProcStatus() {
    }

    /** Resident bytes of {@code pid}, or 0 where there is no procfs or the process is gone. */
    static long residentBytes(long pid) {
        try {
            return parseResidentBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Parses the {@code VmRSS:  1234 kB} line of a status file; 0 when absent. */
    static long parseResidentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith(RSS_FIELD)) {
                String[] parts = line.substring(RSS_FIELD.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }
}
