package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad settings and specs are refused with a message naming them; no engine needed. */
class DockerRuntimeBuilderTest {

    @Test
    void aDockerHostMustBeAUnixTcpOrNpipeUri() {
        assertThatThrownBy(() -> DockerRuntime.builder().dockerHost("http://127.0.0.1:2375"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dockerHost");
        assertThatThrownBy(() -> DockerRuntime.builder().dockerHost(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dockerHost");
    }

    @Test
    void anApiVersionMustLookLikeOneDotN() {
        assertThatThrownBy(() -> DockerRuntime.builder().apiVersion("latest"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiVersion");
    }

    @Test
    void timeoutsMustBePositiveAndTheReconnectCeilingAtLeastItsStart() {
        assertThatThrownBy(() -> DockerRuntime.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> DockerRuntime.builder().responseTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responseTimeout");
        assertThatThrownBy(() -> DockerRuntime.builder().pullTimeout(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pullTimeout");
        assertThatThrownBy(() -> DockerRuntime.builder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnect max");
    }

    @Test
    void aSpecWithoutAnImageIsRefusedBeforeTheEngineIsAsked() {
        ContainerSpec commandOnly = ContainerSpec.builder("svc").command("sleep", "1").build();
        try (DockerRuntime runtime = DockerRuntime.builder().dockerHost("tcp://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> runtime.start(commandOnly, Endpoint.loopback(22_999), Map.of()))
                    .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("no image");
        }
    }

    @Test
    void aRuntimeNamesItselfDockerAndSaysWhereItConnects() {
        try (DockerRuntime runtime = DockerRuntime.builder().dockerHost("tcp://127.0.0.1:1").build()) {
            assertThat(runtime.name()).isEqualTo("docker");
            assertThat(runtime.toString()).contains("tcp://127.0.0.1:1").contains("1.41");
        }
    }

    @Test
    void anUnreachableEngineFailsAStartAndAListWithARuntimeExceptionNamingTheEngine() {
        ContainerSpec spec = ContainerSpec.builder("svc").image("img").build();
        try (DockerRuntime runtime = DockerRuntime.builder().dockerHost("tcp://127.0.0.1:1")
                .connectTimeout(Duration.ofMillis(200)).build()) {
            assertThat(runtime.isAvailable()).isFalse();
            assertThatThrownBy(() -> runtime.start(spec, Endpoint.loopback(22_999), Map.of()))
                    .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("tcp://127.0.0.1:1");
            assertThatThrownBy(() -> runtime.list(Map.of()))
                    .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("tcp://127.0.0.1:1");
        }
    }

    @Test
    void anUnreachableEngineFailsAnImageLookupWithARuntimeExceptionNamingTheEngine() {
        try (DockerRuntime runtime = DockerRuntime.builder().dockerHost("tcp://127.0.0.1:1")
                .connectTimeout(Duration.ofMillis(200)).build()) {
            assertThatThrownBy(() -> runtime.hasImage("img:1"))
                    .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("tcp://127.0.0.1:1")
                    .hasMessageContaining("img:1");
        }
    }
}
