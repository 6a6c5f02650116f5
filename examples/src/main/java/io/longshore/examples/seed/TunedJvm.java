package io.longshore.examples.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The JVM settings the seed jar runs its gateway with, and when it applies them. A user starts
 * the jar as {@code java -jar longshore-seed.jar}, with no flags; the JVM then picks its collector
 * by the machine, and on one core that is the serial collector, whose young collections copy
 * the state of every connection still waiting for its head: pauses of 200–400 ms with 10 000
 * slow clients connected (BENCHMARKS.md). So when the JVM was started with no flags of its own,
 * the seed main starts itself again in a child JVM with the {@link #flags} ({@link ChildJvm}); a
 * JVM started with any flag of the user's is taken as the user's choice and runs the scenario
 * itself. Stateless.
 */
final class TunedJvm {
    /** The system property that marks the child JVM; its value is the parent's pid. */
    static final String CHILD_PROPERTY = "longshore.tunedJvm.parent";
    /** The collector flag of the child: ZGC, whose collections run beside the event loops. */
    static final String COLLECTOR = "-XX:+UseZGC";
    /** The most heap the child takes when its parent's own bound is larger: 1 GiB. */
    static final long MAX_HEAP_BYTES = 1L << 30;

    /** The {@code os.arch} values where JDK 17's ZGC runs. */
    static final Set<String> ZGC_ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

    private TunedJvm() {
    }

    /**
     * The child's flags: ZGC, whose collections run beside the event loops instead of stopping
     * them, so the slow clients' state is never copied in a pause; and a heap bound of
     * {@link #MAX_HEAP_BYTES}, or the parent's own bound ({@code parentMaxHeapBytes}, what the
     * JVM chose for the machine or container) when that is smaller. Without a bound, ZGC grows the
     * heap with the allocation rate: under HTTP/2 load to 4.3 GB in a minute and a half, each new page
     * zeroed by the kernel on first touch (12 % of the gateway's CPU while it grew), for a live set
     * of about 50 MB. Direct memory, where the gateway's buffers live and whose default bound is
     * the heap's, keeps the bound it would have had: the parent's.
     */
    static List<String> flags(long parentMaxHeapBytes) {
        long bound = Math.min(MAX_HEAP_BYTES, parentMaxHeapBytes);
        return List.of(COLLECTOR, "-Xmx" + mebibytes(bound) + "m",
                "-XX:MaxDirectMemorySize=" + mebibytes(parentMaxHeapBytes) + "m");
    }

    private static long mebibytes(long bytes) {
        return Math.max(1, bytes >> 20);
    }

    /** The flags a JVM was started with, as a log line shows them: its {@code -X} options. */
    static String describe(List<String> inputArguments) {
        return String.join(" ", inputArguments.stream().filter(arg -> arg.startsWith("-X")).toList());
    }

    /**
     * Whether this JVM can start a child with the {@link #flags}: it runs on an architecture of
     * {@link #ZGC_ARCHITECTURES} and knows the VM option {@code UseZGC} ({@code knownVmOption}).
     * Otherwise the seed main runs in the JVM it was started in.
     */
    static boolean supported(String osArch, Predicate<String> knownVmOption) {
        return ZGC_ARCHITECTURES.contains(osArch) && knownVmOption.test("UseZGC");
    }

    /**
     * Whether this JVM should start the tuned child instead of running the scenario: it is not
     * the child itself and it was started with no JVM flags ({@code inputArguments}, as
     * {@link java.lang.management.RuntimeMXBean#getInputArguments()} reports them, which
     * include {@code JDK_JAVA_OPTIONS} and {@code JAVA_TOOL_OPTIONS}).
     */
    static boolean wanted(List<String> inputArguments, String childProperty) {
        return childProperty == null && inputArguments.isEmpty();
    }

    /**
     * The child's command line: {@code java}, the {@link #flags} for {@code parentMaxHeapBytes},
     * the {@link #CHILD_PROPERTY} set to {@code parentPid}, this class path, the main class and
     * the same arguments.
     */
    static List<String> command(String java, long parentPid, long parentMaxHeapBytes, String classPath,
                                String mainClass, List<String> args) {
        if (java.isBlank() || classPath.isBlank() || mainClass.isBlank()) {
            throw new IllegalArgumentException("java, class path and main class must not be blank");
        }
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags(parentMaxHeapBytes));
        command.add("-D" + CHILD_PROPERTY + "=" + parentPid);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return List.copyOf(command);
    }
}
