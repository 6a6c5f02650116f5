package io.longshore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ContainerRuntime} must show, as JUnit 5 tests. A runtime's test
 * extends this class and provides the runtime and the hooks below; the same cases then run
 * against the fake (in each of its endpoint modes), the process runtime and the Docker runtime.
 * Cases that hold for one kind of runtime only (see {@link ContainerRuntime#endpointMode()}) are
 * skipped for the other; with a runtime that assigns endpoints, the endpoint passed to
 * {@code start} is only the orchestrator's proposal, and {@link #endpointOf} gives where the
 * replica really serves.
 *
 * <h2>Hooks</h2>
 * Abstract: {@link #createRuntime()}, {@link #servingSpec(String)}, {@link #killExternally(String)},
 * {@link #isAlive(String)}. Overridable: {@link #servesNetwork()} (default {@code true}),
 * {@link #freePort()} (default: an ephemeral port on 127.0.0.1), {@link #healthPath()}
 * (default {@code /api/v1/_health}), {@link #awaitTimeout()} (default 10 s),
 * {@link #stopGrace()} (default 5 s), {@link #startThroughAUserThatDies} (default: the cases
 * that need it are skipped) and {@link #containersOutliveTheirUser()} (default {@code true}).
 *
 * <h2>The rules this contract fixes</h2>
 * <ol>
 *   <li>{@code start} returns a running container with the spec's labels plus the given labels;
 *       every start gets a distinct id. Its endpoint is the proposed one for a runtime that takes
 *       proposed endpoints ({@link ContainerRuntime.EndpointMode#PROPOSED}); a runtime that
 *       assigns them ({@link ContainerRuntime.EndpointMode#ASSIGNED}) reports one in the answer
 *       or, exactly once, as an {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} event to every watcher,
 *       and {@code list} shows it from then on.</li>
 *   <li>The replica serves on its endpoint (checked when {@link #servesNetwork()}).</li>
 *   <li>{@code list(labels)} returns the containers carrying all of {@code labels}, and only those.</li>
 *   <li>{@code stop} returns once the container is gone: after it returns, the container is not
 *       listed at all (stop removes it), {@link #isAlive(String)} is false and its port closes.
 *       Stopping twice or stopping an unknown id is not an error.</li>
 *   <li>A container that dies without {@code stop} (crash, external kill) is reported to every
 *       watcher as {@link RuntimeEvent.Kind#EXITED} within {@link #awaitTimeout()}, and stays
 *       listed with {@code running == false} until {@code stop} removes it.</li>
 *   <li><b>A container stopped through {@code stop} is never reported as an exit</b>: the caller
 *       asked for it, so watchers see nothing. (Checked with a sentinel: another container is
 *       killed afterwards and its event must be the only one.)</li>
 *   <li>Closing the handle returned by {@code watch} stops that watcher's events.</li>
 *   <li>A runtime that takes proposed endpoints frees the endpoint when {@code stop} returns: a
 *       new replica started on it right away serves there (the orchestrator replaces a replica
 *       on the same port).</li>
 *   <li><b>A user that dies without closing its runtime</b> (or stopping its containers) leaves
 *       them to the next runtime instance on the same state: that instance's {@code list} shows
 *       them running, with the same ids, endpoints and labels, serving; it reports their exits and
 *       {@code stop} removes them, as if it had started them itself. A runtime whose containers end
 *       with their user ({@link #containersOutliveTheirUser()} false) leaves nothing: they stop
 *       within {@link #awaitTimeout()} and the next instance lists none.</li>
 * </ol>
 * Starting a second replica on a port already in use is deliberately not part of the contract:
 * the fake refuses it, a host-network container would simply crash.
 *
 * <p>Each test gets a fresh runtime; containers it started are stopped and the runtime closed
 * after it. Labels carry a per-test run id so runtimes that share a host (Docker) do not see each
 * other's containers. Not thread-safe (JUnit runs one test per instance).
 */
public abstract class ContainerRuntimeContract {
    /** The label key that isolates one test's containers from everything else on the host. */
    public static final String RUN_LABEL = "io.longshore.contract.run";
    private static final String ROLE_LABEL = "io.longshore.contract.role";
    private static final String SPEC_LABEL = "io.longshore.contract.spec";

    private final String run = "run-" + ProcessHandle.current().pid() + "-" + System.identityHashCode(this);
    private final List<String> started = new ArrayList<>();
    private final List<AutoCloseable> watches = new ArrayList<>();
    private final RuntimeProbes probes = new RuntimeProbes();
    private final Eventually eventually = new Eventually(Clock.system());

    /** For subclasses: one per runtime under test. */
    protected ContainerRuntimeContract() {
    }
    private final List<RuntimeEvent> endpointEvents = new CopyOnWriteArrayList<>();
    private ContainerRuntime runtime;

    /** A fresh runtime for one test; the contract closes it after the test. */
    protected abstract ContainerRuntime createRuntime();

    /**
     * A spec for {@code service} whose replica listens on the endpoint's port (the runtime passes
     * it as {@code $PORT}) and answers {@link #healthPath()} with 2xx. Only checked when
     * {@link #servesNetwork()}.
     */
    protected abstract ContainerSpec servingSpec(String service);

    /** Kills the container from outside the runtime (SIGKILL, {@code docker kill}, a fake crash). */
    protected abstract void killExternally(String containerId);

    /** Whether anything of the container is still running (process, its children, a container). */
    protected abstract boolean isAlive(String containerId);

    /** Whether the runtime's replicas really listen; the fake's do not, so network checks are skipped. */
    protected boolean servesNetwork() {
        return true;
    }

    /** A TCP port on 127.0.0.1 free right now. */
    protected int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** The path a serving replica answers with 2xx. */
    protected String healthPath() {
        return "/api/v1/_health";
    }

    /** The longest the contract waits for something asynchronous (serving, an exit event). */
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(10);
    }

    /** The grace period the contract passes to {@code stop}. */
    protected Duration stopGrace() {
        return Duration.ofSeconds(5);
    }

    /**
     * Starts one replica of {@link #servingSpec(String) servingSpec(service)} per endpoint, with
     * {@code labels}, through <em>another</em> instance of the runtime on the same state as the
     * instances {@link #createRuntime()} makes, whose user then dies without stopping them or
     * closing the runtime: a JVM killed with SIGKILL ({@link RuntimeUserJvm}), or, for a runtime
     * with nothing to kill, an instance that is simply abandoned. Returns the ids its starts
     * returned, in the order of {@code endpoints}, once the user is dead. The default skips the
     * cases that need it.
     */
    protected List<String> startThroughAUserThatDies(String service, List<Endpoint> endpoints,
                                                     Map<String, String> labels) {
        Assumptions.abort(getClass().getSimpleName() + " does not override startThroughAUserThatDies");
        return List.of();
    }

    /**
     * Whether containers outlive the death of their runtime's user, for the next runtime instance to
     * adopt ({@code true}, the default), or end with it ({@code false}).
     */
    protected boolean containersOutliveTheirUser() {
        return true;
    }

    /** The runtime under test. */
    protected final ContainerRuntime runtime() {
        return runtime;
    }

    @BeforeEach
    final void createRuntimeUnderTest() {
        runtime = createRuntime();
        if (assignsEndpoints()) {
            watchInto(endpointEvents);
        }
    }

    @AfterEach
    final void stopContainersAndCloseRuntime() throws Exception {
        try {
            for (AutoCloseable watch : watches) {
                watch.close();
            }
            for (String id : started) {
                runtime.stop(id, Duration.ZERO);
            }
        } finally {
            runtime.close();
        }
    }

    @Test
    void startReturnsARunningContainerWithItsEndpointAndAllLabels() {
        Endpoint proposed = Endpoint.loopback(freePort());
        ContainerSpec spec = servingSpec("contract").toBuilder().label(SPEC_LABEL, "from-spec").build();

        ContainerInfo info = start(spec, proposed, Map.of(ROLE_LABEL, "a"));

        assertThat(info.id()).isNotBlank();
        assertThat(info.running()).isTrue();
        if (assignsEndpoints()) {
            assertThat(endpointOf(info)).isNotNull();
        } else {
            assertThat(info.endpoint()).isEqualTo(proposed);
        }
        assertThat(info.labels()).containsEntry(SPEC_LABEL, "from-spec")
                .containsEntry(ROLE_LABEL, "a").containsEntry(RUN_LABEL, run);
    }

    @Test
    void aStartedReplicaServesOnItsEndpoint() {
        Assumptions.assumeTrue(servesNetwork(), "this runtime's replicas do not listen");

        ContainerInfo info = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());

        awaitServing(endpointOf(info));
    }

    @Test
    void anAssigningRuntimeReportsEachEndpointOnceAndListsIt() {
        Assumptions.assumeTrue(assignsEndpoints(), "this runtime takes the proposed endpoints");
        ContainerInfo a = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of(ROLE_LABEL, "a"));
        ContainerInfo b = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of(ROLE_LABEL, "b"));

        Endpoint endpointA = endpointOf(a);
        Endpoint endpointB = endpointOf(b);

        for (ContainerInfo info : List.of(a, b)) {
            assertThat(endpointReports(info.id())).as("endpoint reports of %s", info.id())
                    .isEqualTo(info.hasEndpoint() ? 0 : 1);
        }
        assertThat(runtime.list(Map.of(RUN_LABEL, run, ROLE_LABEL, "a"))).singleElement()
                .satisfies(listed -> assertThat(listed.endpoint()).isEqualTo(endpointA));
        assertThat(runtime.list(Map.of(RUN_LABEL, run, ROLE_LABEL, "b"))).singleElement()
                .satisfies(listed -> assertThat(listed.endpoint()).isEqualTo(endpointB));
    }

    @Test
    void aRuntimeTakingProposedEndpointsFreesTheEndpointForTheNextReplicaWhenStopReturns() {
        Assumptions.assumeFalse(assignsEndpoints(), "this runtime assigns its own endpoints");
        Endpoint endpoint = Endpoint.loopback(freePort());
        ContainerInfo first = start(servingSpec("contract"), endpoint, Map.of());
        if (servesNetwork()) {
            awaitServing(endpoint);
        }

        runtime.stop(first.id(), stopGrace());
        ContainerInfo second = start(servingSpec("contract"), endpoint, Map.of());

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.endpoint()).isEqualTo(endpoint);
        if (servesNetwork()) {
            awaitServing(endpoint);
        }
    }

    @Test
    void listFindsContainersByAllTheirLabelsAndOnlyThose() {
        ContainerInfo a = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of(ROLE_LABEL, "a"));
        ContainerInfo b = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of(ROLE_LABEL, "b"));

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(ids(runtime.list(Map.of(RUN_LABEL, run)))).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(ids(runtime.list(Map.of(RUN_LABEL, run, ROLE_LABEL, "a")))).containsExactly(a.id());
        assertThat(runtime.list(Map.of(RUN_LABEL, run, ROLE_LABEL, "nobody"))).isEmpty();
        assertThat(runtime.list(Map.of(RUN_LABEL, run))).allMatch(ContainerInfo::running);
    }

    @Test
    void stopRemovesTheContainerLeavesNothingAliveAndClosesItsPort() {
        ContainerInfo info = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());
        Endpoint endpoint = endpointOf(info);
        if (servesNetwork()) {
            awaitServing(endpoint);
        }

        runtime.stop(info.id(), stopGrace());

        assertThat(ids(runtime.list(Map.of(RUN_LABEL, run)))).doesNotContain(info.id());
        assertThat(isAlive(info.id())).as("container %s alive after stop", info.id()).isFalse();
        if (servesNetwork()) {
            eventually.until(awaitTimeout(), () -> !probes.accepts(endpoint));
        }
    }

    @Test
    void stoppingTwiceOrStoppingAnUnknownIdIsNotAnError() {
        ContainerInfo info = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());
        runtime.stop(info.id(), stopGrace());

        assertThatCode(() -> runtime.stop(info.id(), stopGrace())).doesNotThrowAnyException();
        assertThatCode(() -> runtime.stop("no-such-container-" + run, stopGrace())).doesNotThrowAnyException();
    }

    @Test
    void anExternalKillIsReportedToWatchersAsAnExitAndListedAsNotRunning() {
        List<RuntimeEvent> events = watchInto(new CopyOnWriteArrayList<>());
        ContainerInfo info = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());

        killExternally(info.id());

        eventually.until(awaitTimeout(), () -> exitsOf(events, info.id()) == 1);
        eventually.until(awaitTimeout(), () -> runtime.list(Map.of(RUN_LABEL, run)).stream()
                .anyMatch(c -> c.id().equals(info.id()) && !c.running()));
    }

    @Test
    void anExitedContainerIsRemovedByStop() {
        ContainerInfo info = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());
        killExternally(info.id());
        eventually.until(awaitTimeout(), () -> !isRunning(info.id()));

        runtime.stop(info.id(), stopGrace());

        assertThat(ids(runtime.list(Map.of(RUN_LABEL, run)))).doesNotContain(info.id());
        assertThat(isAlive(info.id())).isFalse();
    }

    @Test
    void aRequestedStopIsNotReportedAsAnExit() {
        List<RuntimeEvent> events = watchInto(new CopyOnWriteArrayList<>());
        ContainerInfo stopped = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());
        ContainerInfo sentinel = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());

        runtime.stop(stopped.id(), stopGrace());
        killExternally(sentinel.id());

        eventually.until(awaitTimeout(), () -> exitsOf(events, sentinel.id()) == 1);
        assertThat(events).filteredOn(RuntimeEvent::isExit).extracting(RuntimeEvent::containerId)
                .doesNotContain(stopped.id());
    }

    @Test
    void aClosedWatchGetsNoMoreEvents() throws Exception {
        List<RuntimeEvent> closedEvents = new CopyOnWriteArrayList<>();
        AutoCloseable closed = runtime.watch(closedEvents::add);
        List<RuntimeEvent> openEvents = watchInto(new CopyOnWriteArrayList<>());
        ContainerInfo info = start(servingSpec("contract"), Endpoint.loopback(freePort()), Map.of());

        closed.close();
        List<RuntimeEvent> beforeClose = List.copyOf(closedEvents);
        killExternally(info.id());

        eventually.until(awaitTimeout(), () -> exitsOf(openEvents, info.id()) == 1);
        assertThat(closedEvents).isEqualTo(beforeClose);
        assertThat(closedEvents).noneMatch(RuntimeEvent::isExit);
    }

    /** Whether the runtime under test assigns endpoints itself. */
    protected final boolean assignsEndpoints() {
        return runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED;
    }

    /**
     * Where {@code info} serves: its endpoint, or, for a runtime that reports it later, the one
     * reported (waiting up to {@link #awaitTimeout()} for it).
     */
    protected final Endpoint endpointOf(ContainerInfo info) {
        if (info.hasEndpoint()) {
            return info.endpoint();
        }
        assertThat(assignsEndpoints()).as("a runtime taking proposed endpoints answered without one").isTrue();
        eventually.until(awaitTimeout(), () -> endpointReports(info.id()) > 0);
        return endpointEvents.stream().filter(e -> e.containerId().equals(info.id())).findFirst()
                .map(RuntimeEvent::endpoint).orElseThrow();
    }

    private long endpointReports(String containerId) {
        return endpointEvents.stream()
                .filter(e -> e.containerId().equals(containerId) && e.kind() == RuntimeEvent.Kind.ENDPOINT_ASSIGNED)
                .count();
    }

    @Test
    void aNewRuntimeAdoptsTheContainersOfAUserThatDiedWithoutClosingItsRuntime() throws Exception {
        Assumptions.assumeTrue(containersOutliveTheirUser(), "this runtime's containers end with their user");
        List<Endpoint> endpoints = List.of(Endpoint.loopback(freePort()), Endpoint.loopback(freePort()));
        List<String> left = startThroughAUserThatDies("contract", endpoints, Map.of(RUN_LABEL, run, ROLE_LABEL, "left"));
        started.addAll(left);
        ContainerRuntime successor = replaceRuntime();
        List<RuntimeEvent> events = watchInto(new CopyOnWriteArrayList<>());

        List<ContainerInfo> adopted = successor.list(Map.of(RUN_LABEL, run));

        assertThat(ids(adopted)).containsExactlyInAnyOrderElementsOf(left);
        assertThat(ids(successor.list(Map.of(RUN_LABEL, run)))).as("listed again").containsExactlyInAnyOrderElementsOf(left);
        List<Endpoint> serving = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            String id = left.get(i);
            ContainerInfo found = adopted.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
            assertThat(found.running()).isTrue();
            assertThat(found.labels()).containsEntry(ROLE_LABEL, "left").containsEntry(RUN_LABEL, run);
            if (assignsEndpoints()) {
                assertThat(found.hasEndpoint()).as("adopted %s lists its assigned endpoint", id).isTrue();
            } else {
                assertThat(found.endpoint()).isEqualTo(endpoints.get(i));
            }
            serving.add(found.endpoint());
            if (servesNetwork()) {
                awaitServing(found.endpoint());
            }
        }
        killExternally(left.get(0));
        eventually.until(awaitTimeout(), () -> exitsOf(events, left.get(0)) == 1);
        eventually.until(awaitTimeout(), () -> successor.list(Map.of(RUN_LABEL, run)).stream()
                .anyMatch(c -> c.id().equals(left.get(0)) && !c.running()));
        successor.stop(left.get(1), stopGrace());
        assertThat(ids(successor.list(Map.of(RUN_LABEL, run)))).doesNotContain(left.get(1));
        assertThat(isAlive(left.get(1))).as("adopted %s alive after stop", left.get(1)).isFalse();
        if (servesNetwork()) {
            eventually.until(awaitTimeout(), () -> !probes.accepts(serving.get(1)));
        }
    }

    @Test
    void containersThatEndWithTheirUserLeaveNothingForANewRuntime() throws Exception {
        Assumptions.assumeFalse(containersOutliveTheirUser(), "this runtime's containers outlive their user");
        List<Endpoint> endpoints = List.of(Endpoint.loopback(freePort()), Endpoint.loopback(freePort()));
        List<String> left = startThroughAUserThatDies("contract", endpoints, Map.of(RUN_LABEL, run));
        started.addAll(left);

        eventually.until(awaitTimeout(), () -> left.stream().noneMatch(this::isAlive));
        ContainerRuntime successor = replaceRuntime();

        assertThat(successor.list(Map.of(RUN_LABEL, run))).isEmpty();
        if (servesNetwork()) {
            assertThat(endpoints).noneMatch(probes::accepts);
        }
    }

    /** Replaces the runtime under test with a new instance from {@link #createRuntime()}; the old one is closed. */
    private ContainerRuntime replaceRuntime() throws Exception {
        ContainerRuntime previous = runtime;
        runtime = createRuntime();
        previous.close();
        if (assignsEndpoints()) {
            watchInto(endpointEvents);
        }
        return runtime;
    }

    /** Subscribes {@code events} to the runtime until the end of the test; returns it. */
    protected final List<RuntimeEvent> watchInto(List<RuntimeEvent> events) {
        watches.add(runtime.watch(events::add));
        return events;
    }

    /** Starts a container with this test's run label and remembers it for clean-up. */
    protected final ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(RUN_LABEL, run);
        ContainerInfo info = runtime.start(spec, endpoint, all);
        started.add(info.id());
        return info;
    }

    private boolean isRunning(String id) {
        return runtime.list(Map.of(RUN_LABEL, run)).stream().anyMatch(c -> c.id().equals(id) && c.running());
    }

    private void awaitServing(Endpoint endpoint) {
        eventually.until(awaitTimeout(), () -> probes.httpStatus(endpoint, healthPath()) / 100 == 2);
    }

    private static long exitsOf(List<RuntimeEvent> events, String id) {
        return events.stream().filter(e -> e.containerId().equals(id) && e.kind() == RuntimeEvent.Kind.EXITED).count();
    }

    private static List<String> ids(List<ContainerInfo> infos) {
        return infos.stream().map(ContainerInfo::id).toList();
    }
}
