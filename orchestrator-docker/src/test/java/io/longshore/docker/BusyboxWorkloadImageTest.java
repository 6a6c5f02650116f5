package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusyboxWorkloadImageTest {
    private DockerTestSupport docker;

    @BeforeAll
    void connect() {
        docker = new DockerTestSupport(22_400, 22_499);
    }

    @AfterAll
    void removeContainers() {
        if (docker != null) {
            docker.close();
        }
    }

    private int startWorkload() {
        return startWorkload(BusyboxWorkloadImage.TAG);
    }

    private int startWorkload(String image) {
        ContainerInfo info = docker.runtime().start(BusyboxWorkloadImage.spec("workload-test").image(image).build(),
                Endpoint.loopback(docker.freePort()), docker.labels());
        int port = info.endpoint().port();
        await().atMost(Duration.ofSeconds(10)).until(() -> DockerTestSupport.status(port, "GET", "/api/v1/_health") == 200);
        return port;
    }

    @Test
    void ensureLeavesAnUpToDateImageInPlaceAndReturnsItsTag() {
        String tag = BusyboxWorkloadImage.ensure(docker.runtime());

        assertThat(tag).isEqualTo(BusyboxWorkloadImage.TAG);
        assertThat(docker.runtime().hasImage(tag)).isTrue();
        assertThat(docker.runtime().client().inspectImageCmd(tag).exec().getConfig().getLabels())
                .containsEntry(BusyboxWorkloadImage.HASH_LABEL, BusyboxWorkloadImage.resourceHash());
    }

    @Test
    void twoVersionTagsOfTheImageAnswerWithTheirVersionAndTheBaseImageWithV1() {
        String v1 = BusyboxWorkloadImage.ensureVersion(docker.runtime(), "v1");
        String v2 = BusyboxWorkloadImage.ensureVersion(docker.runtime(), "v2");

        assertThat(v1).isEqualTo("longshore/busybox-workload:v1");
        assertThat(v2).isEqualTo("longshore/busybox-workload:v2");
        assertThat(BusyboxWorkloadImage.ensureVersion(docker.runtime(), "v2")).as("up to date: kept").isEqualTo(v2);
        assertThat(DockerTestSupport.call(startWorkload(BusyboxWorkloadImage.TAG), "GET", "/a").version()).isEqualTo("v1");
        assertThat(DockerTestSupport.call(startWorkload(v2), "GET", "/api/v1/_health").version()).isEqualTo("v2");
        assertThatThrownBy(() -> BusyboxWorkloadImage.ensureVersion(docker.runtime(), "v2 beta"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'v2 beta'");
    }

    @Test
    void healthTurnsFrom200To500AfterACrashRequest() {
        int port = startWorkload();

        DockerTestSupport.Response crash = DockerTestSupport.call(port, "POST", "/api/v1/_crash");

        assertThat(crash.status()).isEqualTo(200);
        DockerTestSupport.Response health = DockerTestSupport.call(port, "GET", "/api/v1/_health");
        assertThat(health.status()).isEqualTo(500);
        assertThat(health.body()).isEqualTo("crashed");
        assertThat(health.replica()).isEqualTo(Integer.toString(port));
    }

    @Test
    void countReportsTheRequestsServedApartFromHealthAndCount() {
        int port = startWorkload();
        DockerTestSupport.call(port, "GET", "/a");
        DockerTestSupport.call(port, "PUT", "/b?x=1");
        DockerTestSupport.call(port, "GET", "/api/v1/_health");

        DockerTestSupport.Response count = DockerTestSupport.call(port, "GET", "/api/v1/_count");

        assertThat(count.body()).isEqualTo("2");
    }

    @Test
    void afterAHangRequestTheWorkloadAcceptsButNeverAnswers() {
        int port = startWorkload();

        assertThat(DockerTestSupport.status(port, "POST", "/api/v1/_hang")).isEqualTo(200);

        DockerTestSupport.Response hung = DockerTestSupport.call(port, "GET", "/api/v1/_health");
        assertThat(hung.status()).isEqualTo(-1);
        assertThat(hung.body()).contains("SocketTimeoutException");
    }

    @Test
    void buildingWithoutAStaticBusyboxFailsWithAMessageSayingWhatToInstall() {
        assertThatThrownBy(() -> BusyboxWorkloadImage.build(docker.runtime(), Path.of("/no/such/busybox")))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("/no/such/busybox")
                .hasMessageContaining("busybox-static");
    }
}
