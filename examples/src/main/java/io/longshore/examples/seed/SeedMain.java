package io.longshore.examples.seed;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.longshore.examples.Foreground;
import io.longshore.examples.config.ConfigMain;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed scenario, runnable: {@code java -jar examples/target/longshore-seed.jar [flags]}.
 * Runs the acts service as replicas behind the gateway until the JVM is stopped (Ctrl-C or
 * SIGTERM), then closes the gateway and the orchestrator, which stops every replica. See
 * {@link SeedOptions#usage()} for the flags; a bad flag exits with status 2. With
 * {@code --config FILE} it runs what a config file describes instead ({@link ConfigMain}).
 * Started with no JVM flags, it runs all of that in a child JVM with the flags the gateway is
 * tuned for ({@link TunedJvm}), and passes its signals on to it.
 */
public final class SeedMain {
    /** How long the start waits for the first replica before it says "ready" (or that none is). */
    static final Duration FIRST_REPLICA_WAIT = Duration.ofSeconds(60);
    /** Exit status of a bad command line. */
    static final int USAGE_ERROR = 2;
    /** Exit status when the scenario could not start. */
    static final int START_FAILED = Foreground.START_FAILED;
    private static final Logger LOG = LoggerFactory.getLogger(SeedMain.class);

    private SeedMain() {
    }

    public static void main(String[] args) throws Exception {
        String parent = System.getProperty(TunedJvm.CHILD_PROPERTY);
        if (TunedJvm.wanted(ManagementFactory.getRuntimeMXBean().getInputArguments(), parent)) {
            OptionalInt status = runInTunedChild(args);
            if (status.isPresent()) {
                System.exit(status.getAsInt());
                return;
            }
        }
        if (parent != null) {
            ParentWatch.start(System.in, () -> Runtime.getRuntime().halt(ParentWatch.PARENT_GONE));
        }
        if (ConfigMain.wanted(args)) {
            ConfigMain.main(args);
            return;
        }
        runSeed(args, parent);
    }

    /** The seed scenario in this JVM; {@code parent} is the tuned child's parent pid, or null. */
    private static void runSeed(String[] args, String parent) throws InterruptedException {
        SeedOptions options;
        try {
            options = SeedOptions.parse(System.getenv(), args);
        } catch (UsageException e) {
            System.exit(usageError(e, System.err));
            return;
        }
        if (options.help()) {
            System.out.print(SeedOptions.usage());
            return;
        }
        if (parent != null) {
            LOG.info("running in a child JVM with {} (its parent is pid {}); JVM flags of your own run the jar"
                    + " in one JVM", TunedJvm.describe(ManagementFactory.getRuntimeMXBean().getInputArguments()), parent);
        }
        Foreground.run(() -> SeedApp.start(options), started -> {
            settleHeap();
            if (awaitServing(started)) {
                LOG.info("ready: send requests to http://127.0.0.1:{}/api/v1/categories,"
                        + " admin API on http://127.0.0.1:{}/replicas; Ctrl-C stops", options.port(), options.adminPort());
            } else {
                LOG.warn("no replica is ready {} after the start: requests get 503 until one is (see the events"
                        + " above and http://127.0.0.1:{}/status); Ctrl-C stops", FIRST_REPLICA_WAIT, options.adminPort());
            }
        }, "longshore-seed-shutdown", LOG, "the seed scenario could not start: {}");
    }

    /** Whether the first replica became ready within {@link #FIRST_REPLICA_WAIT}, so "ready" means a request gets an answer. */
    private static boolean awaitServing(SeedApp app) {
        try {
            return app.awaitServing(FIRST_REPLICA_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs the seed main again in the tuned child JVM and returns its exit status; empty when this
     * JVM cannot run the child's flags or the child could not be started (then this JVM runs it).
     */
    private static OptionalInt runInTunedChild(String[] args) throws InterruptedException {
        if (!TunedJvm.supported(System.getProperty("os.arch", ""), SeedMain::knownVmOption)) {
            LOG.info("this JVM cannot run {}; running in this JVM", TunedJvm.COLLECTOR);
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(ChildJvm.run(TunedJvm.command(javaCommand(), ProcessHandle.current().pid(),
                    Runtime.getRuntime().maxMemory(), System.getProperty("java.class.path"), SeedMain.class.getName(),
                    List.of(args))));
        } catch (IOException e) {
            LOG.warn("could not start the tuned child JVM ({}); running in this JVM", e.getMessage());
            return OptionalInt.empty();
        }
    }

    /** Whether this JVM is a HotSpot VM that knows the VM option {@code name}. */
    private static boolean knownVmOption(String name) {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotSpot == null) {
            return false;
        }
        try {
            hotSpot.getVMOption(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code java} launcher this JVM runs on. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Collects the start-up's garbage once, now, so its survivors (the gateway's, the
     * orchestrator's and Jetty's long-lived objects) move to the old generation while the
     * gateway is still quiet. Without it the first young collection, minutes later under load,
     * copies them all at once: a pause of tens of milliseconds (244 ms measured on a loaded
     * machine) that lands in the latency tail. The seed main does it, not the library: a host
     * application decides about its own heap.
     */
    private static void settleHeap() {
        System.gc();
    }

    /** Prints the error and the usage; returns the exit status. */
    static int usageError(UsageException e, PrintStream err) {
        err.println("error: " + e.getMessage());
        err.println();
        err.print(SeedOptions.usage());
        return USAGE_ERROR;
    }
}
