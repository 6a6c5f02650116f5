package io.longshore.testkit;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.util.List;
import java.util.Map;
import io.longshore.api.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The fake runtime keeps the contract every real runtime keeps, except that nothing listens: in
 * its default mode (it takes the proposed endpoints), and in its two endpoint-assigning modes
 * (the endpoint in the start's answer, or reported 50 ms later as an event).
 */
class FakeContainerRuntimeContractTest {

    /** The hooks every mode shares: a kill is a fake crash, nothing listens. */
    abstract static class FakeContract extends ContainerRuntimeContract {
        FakeContainerRuntime fake;

        /** A fresh fake in this mode. */
        abstract FakeContainerRuntime newFake();

        /** The first runtime of a test is fresh; a later one is the successor of the latest (same state). */
        @Override
        protected ContainerRuntime createRuntime() {
            fake = fake == null ? newFake() : fake.successor();
            return fake;
        }

        /**
         * A fake has no process to kill: its user "dies" by abandoning an instance that started
         * containers (once they run with their endpoints).
         */
        @Override
        protected List<String> startThroughAUserThatDies(String service, List<Endpoint> endpoints,
                                                         Map<String, String> labels) {
            FakeContainerRuntime user = fake.successor();
            List<String> ids = endpoints.stream().map(endpoint -> user.start(servingSpec(service), endpoint, labels).id())
                    .toList();
            org.awaitility.Awaitility.await().atMost(awaitTimeout()).until(() -> user.running().stream()
                    .filter(c -> ids.contains(c.id())).allMatch(ContainerInfo::hasEndpoint));
            fake = user;
            return ids;
        }

        @Override
        protected ContainerSpec servingSpec(String service) {
            return ContainerSpec.builder(service).command("serve").build();
        }

        @Override
        protected void killExternally(String containerId) {
            fake.crash(containerId, 137);
        }

        @Override
        protected boolean isAlive(String containerId) {
            return fake.running().stream().anyMatch(c -> c.id().equals(containerId));
        }

        @Override
        protected boolean servesNetwork() {
            return false;
        }
    }

    /** Loopback ports far from the proposed ones; nothing listens on them. */
    private static Endpoint assigned(int n) {
        return Endpoint.loopback(40_000 + n);
    }

    @Nested
    class TakingProposedEndpoints extends FakeContract {
        @Override
        FakeContainerRuntime newFake() {
            return new FakeContainerRuntime();
        }
    }

    @Nested
    class AssigningEndpointsInTheAnswer extends FakeContract {
        @Override
        FakeContainerRuntime newFake() {
            return FakeContainerRuntime.assigningEndpoints(Clock.system(), FakeContainerRuntimeContractTest::assigned);
        }
    }

    @Nested
    class AssigningEndpointsLater extends FakeContract {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        @Override
        FakeContainerRuntime newFake() {
            return FakeContainerRuntime.assigningEndpointsLater(Clock.system(), FakeContainerRuntimeContractTest::assigned,
                    Duration.ofMillis(50), new TimerScheduler(timer));
        }

        @AfterEach
        void stopTimer() {
            timer.shutdownNow();
        }
    }

    /** A scheduler on real time, for the delayed reports. */
    private record TimerScheduler(ScheduledExecutorService timer) implements Scheduler {
        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            ScheduledFuture<?> future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
