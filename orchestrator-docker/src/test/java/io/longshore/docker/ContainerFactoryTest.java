package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import org.junit.jupiter.api.Test;

/** How a spec's environment and ports are laid out, without an engine. */
class ContainerFactoryTest {
    private final ContainerSpec.Builder spec = ContainerSpec.builder("svc").image("img");

    @Test
    void withHostNetworkingTheWorkloadListensOnTheReplicasHostAndPort() {
        ContainerSpec host = spec.env("A", "1").build();

        assertThat(ContainerFactory.env(host, Endpoint.loopback(22_001)))
                .containsExactly("A=1", "PORT=22001", "HOST=127.0.0.1");
    }

    @Test
    void withABridgeTheWorkloadListensOnAllInterfacesOfItsContainerPort() {
        ContainerSpec bridge = spec.network(ContainerSpec.NetworkMode.BRIDGE).containerPort(8080).build();

        assertThat(ContainerFactory.env(bridge, Endpoint.loopback(22_001))).containsExactly("PORT=8080", "HOST=0.0.0.0");
        assertThat(ContainerFactory.containerPort(bridge, Endpoint.loopback(22_001))).isEqualTo(8080);
    }

    @Test
    void aBridgeWithoutAContainerPortUsesTheReplicasPortInside() {
        ContainerSpec bridge = spec.network(ContainerSpec.NetworkMode.BRIDGE).build();

        assertThat(ContainerFactory.containerPort(bridge, Endpoint.loopback(22_002))).isEqualTo(22_002);
    }

    @Test
    void theRuntimesPortWinsOverTheSpecsAndTheSpecsHostWinsOverTheRuntimes() {
        ContainerSpec custom = spec.env("PORT", "1").env("HOST", "::1").build();

        assertThat(ContainerFactory.env(custom, Endpoint.loopback(22_003))).containsExactly("HOST=::1", "PORT=22003");
    }
}
