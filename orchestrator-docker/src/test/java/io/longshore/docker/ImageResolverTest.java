package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageCmd;
import io.longshore.api.ContainerSpec.PullPolicy;
import io.longshore.api.ImageNotFoundException;
import java.io.Closeable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ImageResolverTest {

    /** A client whose pulls start streaming and never finish; it records whether the stream was closed. */
    private static DockerClient neverFinishingPulls(AtomicBoolean streamClosed) {
        PullImageCmd pull = proxy(PullImageCmd.class, (self, method, args) -> {
            if (method.getName().equals("exec")) {
                ResultCallback<?> callback = (ResultCallback<?>) args[0];
                Closeable stream = () -> streamClosed.set(true);
                callback.onStart(stream);
                return callback;
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return proxy(DockerClient.class, (self, method, args) -> {
            if (method.getName().equals("pullImageCmd")) {
                return pull;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Test
    void aPullThatTimesOutIsClosedSoItDoesNotRunOn() {
        AtomicBoolean streamClosed = new AtomicBoolean();
        ImageResolver images = new ImageResolver(neverFinishingPulls(streamClosed), Duration.ofMillis(1));

        assertThatThrownBy(() -> images.resolve("registry.example/slow:1", PullPolicy.ALWAYS))
                .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("did not finish within");
        assertThat(streamClosed).as("the pull's stream was closed").isTrue();
    }
}
