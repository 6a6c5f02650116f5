package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import io.longshore.api.ContainerSpec.PullPolicy;
import io.longshore.api.ImageNotFoundException;
import java.io.Closeable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * A client whose pulls finish at once and whose images are all present; it records each pull
     * as the engine would read it: {@code fromImage}, plus {@code :tag} when a tag is sent apart.
     */
    private static DockerClient recordingPulls(List<String> pulled) {
        return proxy(DockerClient.class, (self, method, args) -> switch (method.getName()) {
            case "pullImageCmd" -> pullRecordedAs(pulled, (String) args[0]);
            case "inspectImageCmd" -> proxy(InspectImageCmd.class, (cmd, m, a) -> {
                if (m.getName().equals("exec")) {
                    return new InspectImageResponse();
                }
                throw new UnsupportedOperationException(m.getName());
            });
            default -> throw new UnsupportedOperationException(method.getName());
        });
    }

    private static PullImageCmd pullRecordedAs(List<String> pulled, String repository) {
        String[] tag = {null};
        return proxy(PullImageCmd.class, (self, method, args) -> {
            switch (method.getName()) {
                case "withTag" -> {
                    tag[0] = (String) args[0];
                    return self;
                }
                case "exec" -> {
                    pulled.add(tag[0] == null || tag[0].isEmpty() ? repository : repository + ":" + tag[0]);
                    ResultCallback<?> callback = (ResultCallback<?>) args[0];
                    callback.onStart(() -> { });
                    callback.onComplete();
                    return callback;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
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

    @Test
    void anImageWithoutATagIsPulledAsLatestNotAsEveryTagOfItsRepository() {
        List<String> pulled = new CopyOnWriteArrayList<>();
        ImageResolver images = new ImageResolver(recordingPulls(pulled), Duration.ofSeconds(5));

        images.resolve("nginx", PullPolicy.ALWAYS);
        images.resolve("registry.example:5000/team/acts", PullPolicy.ALWAYS);
        images.resolve("acts:1.4", PullPolicy.ALWAYS);
        images.resolve("registry.example:5000/acts@sha256:" + "0".repeat(64), PullPolicy.ALWAYS);

        assertThat(pulled).as("what the engine pulls; a name alone would be every tag of the repository")
                .containsExactly("nginx:latest", "registry.example:5000/team/acts:latest", "acts:1.4",
                        "registry.example:5000/acts@sha256:" + "0".repeat(64));
    }
}
