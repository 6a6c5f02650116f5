package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.HealthProbe;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.OrchestratorEvent.ReplicaReady;
import io.longshore.api.OrchestratorEvent.ReplicaStartFailed;
import io.longshore.api.OrchestratorEvent.Scaled;
import io.longshore.api.OrchestratorEvent.UserCodeFailed;
import io.longshore.api.ProbeResult;
import io.longshore.api.ReplicaState;
import io.longshore.api.RouteRequest;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User code that misbehaves in ways beyond throwing an exception — an {@link Error} such as a
 * failed assertion or a stack overflow, a null where a value belongs, a count out of range, a
 * {@code toString()} that throws — is reported and the orchestrator goes on, as for an exception.
 */
class MisbehavingUserCodeTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    static Stream<Supplier<Error>> errors() {
        return Stream.of(() -> new AssertionError("user assertion"), () -> new StackOverflowError("user recursion"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aListenerThatThrowsAnErrorIsSkippedAndTheOthersStillHear(Supplier<Error> error) {
        AtomicInteger heard = new AtomicInteger();
        h.start(h.builder().initialReplicas(2)
                .listener(event -> {
                    throw error.get();
                })
                .listener(event -> heard.incrementAndGet()));
        h.seconds(2);

        assertThat(h.events(ReplicaReady.class)).hasSize(2);
        assertThat(h.orchestrator.replicas()).allMatch(r -> r.state() == ReplicaState.READY);
        assertThat(heard.get()).isEqualTo(h.events.size());
        assertThat(h.orchestrator.recentEvents(100)).anyMatch(e -> e instanceof UserCodeFailed);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aProbeThatThrowsAnErrorFailsThatProbeAndProbingGoesOn(Supplier<Error> error) {
        AtomicInteger calls = new AtomicInteger();
        HealthProbe probe = backend -> {
            calls.incrementAndGet();
            throw error.get();
        };
        h.start(h.builder().initialReplicas(1).healthProbe(probe));
        h.seconds(5);

        assertThat(calls.get()).isGreaterThanOrEqualTo(4);
        assertThat(h.events(ReplicaReady.class)).isEmpty();
        assertThat(h.events(UserCodeFailed.class)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.component()).startsWith("probe"));
    }

    @Test
    void aProbeStageThatNeverCompletesIsCancelledWhenItTimesOut() {
        List<CompletableFuture<ProbeResult>> stages = new CopyOnWriteArrayList<>();
        HealthProbe hanging = backend -> {
            CompletableFuture<ProbeResult> stage = new CompletableFuture<>();
            stages.add(stage);
            return stage;
        };
        h.start(h.builder().initialReplicas(1).healthProbe(hanging).probeTimeout(Duration.ofMillis(500)));
        h.seconds(5);

        assertThat(stages).hasSizeGreaterThanOrEqualTo(4);
        assertThat(stages.subList(0, stages.size() - 1)).allMatch(CompletableFuture::isCancelled);
        assertThat(h.events(ReplicaReady.class)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aStrategyThatThrowsAnErrorFallsBackToRoundRobin(Supplier<Error> error) {
        h.start(h.builder().initialReplicas(3).strategy((candidates, request) -> {
            throw error.get();
        }));
        h.seconds(2);

        h.requests(300, 200);
        h.scheduler.runPending();

        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::requests).containsOnly(100L);
        assertThat(h.events(UserCodeFailed.class)).isNotEmpty();
    }

    @Test
    void aStrategyWhoseStickyCookieIsNotATokenSetsNoCookieAndIsReported() {
        LoadBalancingStrategy crlf = new LoadBalancingStrategy() {
            @Override
            public int choose(List<Backend> candidates, RouteRequest request) {
                return 0;
            }

            @Override
            public Optional<String> stickyCookie() {
                return Optional.of("session\r\nSet-Cookie: admin=1");
            }

            @Override
            public String toString() {
                throw new IllegalStateException("no name");
            }
        };
        h.start(h.builder().initialReplicas(1).strategy(crlf));
        h.seconds(2);

        assertThat(h.orchestrator.router().stickyCookie()).isEmpty();
        assertThat(h.events(UserCodeFailed.class)).anySatisfy(e -> assertThat(e.error()).contains("stickyCookie()"));
        assertThat(h.orchestrator.status().strategy()).contains("MisbehavingUserCodeTest");
    }

    @Test
    void aPolicyThatAsksForFewerThanNoReplicasIsClampedToTheMinimumNotReported() {
        h.start(h.builder().minReplicas(1).initialReplicas(3).scalingInterval(Duration.ofSeconds(10))
                .scalingPolicy(context -> -3));
        h.seconds(12);

        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
        assertThat(h.events(Scaled.class)).isNotEmpty();
        assertThat(h.events(UserCodeFailed.class)).isEmpty();
    }

    @Test
    void aRuntimeWhoseStartReturnsNullFailsThatStartAndTriesAgain() {
        AtomicInteger nulls = new AtomicInteger(1);
        ContainerRuntime runtime = new DelegatingRuntime(h.runtime) {
            @Override
            public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
                return nulls.getAndDecrement() > 0 ? null : super.start(spec, endpoint, labels);
            }
        };
        h.start(h.builder().initialReplicas(1).runtime(runtime));
        h.seconds(10);

        assertThat(h.events(ReplicaStartFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).contains("returned null"));
        assertThat(h.events(ReplicaReady.class)).hasSize(1);
    }

    @Test
    void aRuntimeWhoseListReturnsNullIsAskedAgainBeforeAnythingStarts() {
        AtomicInteger nulls = new AtomicInteger(1);
        ContainerRuntime runtime = new DelegatingRuntime(h.runtime) {
            @Override
            public List<ContainerInfo> list(Map<String, String> labels) {
                return nulls.getAndDecrement() > 0 ? null : super.list(labels);
            }
        };
        h.start(h.builder().initialReplicas(1).runtime(runtime));
        h.seconds(10);

        assertThat(nulls.get()).isNegative(); // asked again
        assertThat(h.events(ReplicaReady.class)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aRuntimeWhoseWatchThrowsAnErrorStillStartsItsReplicas(Supplier<Error> error) {
        ContainerRuntime runtime = new DelegatingRuntime(h.runtime) {
            @Override
            public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
                throw error.get();
            }
        };
        h.start(h.builder().initialReplicas(2).runtime(runtime));
        h.seconds(2);

        assertThat(h.events(ReplicaReady.class)).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aRuntimeWhoseUnsubscribeThrowsAnErrorStillStopsEveryReplicaOnClose(Supplier<Error> error) {
        ContainerRuntime runtime = new DelegatingRuntime(h.runtime) {
            @Override
            public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
                super.watch(listener);
                return () -> {
                    throw error.get();
                };
            }
        };
        h.start(h.builder().initialReplicas(2).runtime(runtime));
        h.seconds(2);

        h.orchestrator.close();
        h.scheduler.runPending();

        assertThat(h.runtime.stoppedIds()).hasSize(2);
        assertThat(h.runtime.running()).isEmpty();
    }
}
