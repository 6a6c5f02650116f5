package io.longshore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;

/**
 * Prints the heap an orchestrator of N replicas (default 200) on the fake runtime retains
 * after ten minutes of 1 s probes on virtual time: used heap after a full GC, with the
 * orchestrator alive, minus the same before it was built. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.longshore.benchmarks.OrchestratorHeapMain [replicas] [ticks]}.
 */
public final class OrchestratorHeapMain {
    private static final int DEFAULT_REPLICAS = 200;
    private static final int DEFAULT_TICKS = 600;
    private static final int GC_ROUNDS = 3;
    private static final int EVENT_LIMIT = 1_000;

    private OrchestratorHeapMain() {
    }

    public static void main(String[] args) {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_REPLICAS;
        int ticks = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_TICKS;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        try (ControlPlane controlPlane = new ControlPlane(replicas).startAndSettle()) {
            for (int i = 0; i < ticks; i++) {
                controlPlane.tick();
            }
            long after = usedAfterGc(memory);
            System.out.printf("HEAP replicas=%d ticks=%d retained_bytes=%d retained_mb=%.2f events=%d%n",
                    replicas, ticks, after - before, (after - before) / (1024.0 * 1024.0),
                    controlPlane.orchestrator().recentEvents(EVENT_LIMIT).size());
            Reference.reachabilityFence(controlPlane);
        }
    }

    /** Used heap after a few full collections (System.gc() is a request; several settle it). */
    static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < GC_ROUNDS; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
