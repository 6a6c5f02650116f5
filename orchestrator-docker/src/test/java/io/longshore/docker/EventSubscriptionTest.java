package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.EventsCmd;
import io.longshore.testkit.ManualClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One watcher's event stream against a client the test answers for the engine; no engine needed. */
class EventSubscriptionTest {
    private final List<ResultCallback<?>> streams = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopReconnects() {
        reconnects.shutdownNow();
    }

    /** A client whose event streams are answered only when the test calls their {@code onStart}. */
    private DockerClient eventsAnsweredByTheTest() {
        EventsCmd events = proxy(EventsCmd.class, (self, method, args) -> {
            if (method.getName().startsWith("with")) {
                return self;
            }
            if (method.getName().equals("exec")) {
                streams.add((ResultCallback<?>) args[0]);
                return args[0];
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return proxy(DockerClient.class, (self, method, args) -> {
            if (method.getName().equals("eventsCmd")) {
                return events;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Test
    void aStreamTheEngineAnswersOnlyAfterTheWatchClosedIsClosedInsteadOfStreamingOn() throws Exception {
        EventSubscription subscription = new EventSubscription(eventsAnsweredByTheTest(), new ManualClock(), reconnects,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)), new RecentIds(), event -> { }, null);
        subscription.open(Duration.ofMillis(1));
        subscription.close();
        AtomicBoolean streamClosed = new AtomicBoolean();

        streams.get(0).onStart(() -> streamClosed.set(true));

        assertThat(streamClosed).as("the stream the engine answered after the close was closed").isTrue();
    }
}
