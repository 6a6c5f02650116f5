package io.longshore.api;

/**
 * One reading of a container's resource use. Immutable.
 *
 * @param cpuPercent        CPU use in percent of one core (200 = two cores busy)
 * @param memoryBytes       resident memory
 * @param memoryLimitBytes  the limit, or 0 when unlimited
 */
public record ResourceStats(double cpuPercent, long memoryBytes, long memoryLimitBytes) {
    public ResourceStats {
        if (cpuPercent < 0 || Double.isNaN(cpuPercent)) {
            throw new IllegalArgumentException("cpuPercent must be >= 0, was " + cpuPercent);
        }
        if (memoryBytes < 0 || memoryLimitBytes < 0) {
            throw new IllegalArgumentException("memory must be >= 0");
        }
    }
}
