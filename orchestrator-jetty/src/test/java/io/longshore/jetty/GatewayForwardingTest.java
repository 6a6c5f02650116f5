package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.longshore.testkit.RawHttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass
@EnumSource(Transport.class)
class GatewayForwardingTest {
    private static WireMockServer backend;
    private static HttpClient client;
    @Parameter
    Transport transport;
    private TestGateway gateway;

    @BeforeAll
    static void startBackend() {
        backend = TestSupport.wireMock();
        client = TestSupport.client();
    }

    @BeforeEach
    void startGateway() {
        backend.resetAll();
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())));
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @AfterAll
    static void stopBackend() {
        TestSupport.stop(client);
        backend.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    void forwardsMethodPathHeadersAndBodyAndReturnsTheReplicasAnswerUnchanged(String method) throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201)
                .withHeader("X-Reply", "r1").withHeader("Content-Type", "text/plain").withBody("answer to " + method)));
        boolean withBody = !method.equals("GET") && !method.equals("DELETE") && !method.equals("OPTIONS");
        var request = TestSupport.to(client, gateway, "/api/v1/items/7?q=a%20b&x=1").method(method)
                .headers(h -> h.add("X-Custom", "one").add("X-Custom", "two").add("Accept", "text/plain"))
                .timeout(5, TimeUnit.SECONDS);
        if (withBody) {
            request.body(new StringRequestContent("application/json", "{\"n\":1}"));
        }
        ContentResponse response = request.send();

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getHeaders().get("X-Reply")).isEqualTo("r1");
        assertThat(response.getContentAsString()).isEqualTo("answer to " + method);
        LoggedRequest received = single();
        assertThat(received.getMethod().getName()).isEqualTo(method);
        assertThat(received.getUrl()).isEqualTo("/api/v1/items/7?q=a%20b&x=1");
        assertThat(received.getHeaders().getHeader("X-Custom").values()).containsExactly("one", "two");
        assertThat(received.getHeader("Accept")).isEqualTo("text/plain");
        assertThat(received.getBodyAsString()).isEqualTo(withBody ? "{\"n\":1}" : "");
    }

    @Test
    void headReturnsStatusAndHeadersWithoutBody() throws Exception {
        backend.stubFor(any(urlEqualTo("/h")).willReturn(aResponse().withStatus(200)
                .withHeader("X-Reply", "head").withHeader("Content-Length", "5")));
        ContentResponse response = TestSupport.to(client, gateway, "/h").method(HttpMethod.HEAD).send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("X-Reply")).isEqualTo("head");
        assertThat(response.getContent()).isEmpty();
        assertThat(single().getMethod().getName()).isEqualTo("HEAD");
    }

    @Test
    void dropsHopByHopHeadersBothWays() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")
                .withHeader("Keep-Alive", "timeout=5").withHeader("Proxy-Authenticate", "Basic")
                .withHeader("Upgrade", "h2c").withHeader("X-Kept", "yes")));
        ContentResponse response = TestSupport.to(client, gateway, "/hop").headers(h -> h
                .add("Connection", "keep-alive, X-Secret").add("X-Secret", "s").add("Keep-Alive", "timeout=5")
                .add("Proxy-Authorization", "Basic abc").add("Proxy-Foo", "bar").add("TE", "trailers")
                .add("Trailer", "X-T").add("X-Kept", "yes")).send();

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        LoggedRequest received = single();
        for (String dropped : List.of("X-Secret", "Keep-Alive", "Proxy-Authorization", "Proxy-Foo", "TE")) {
            assertThat(received.containsHeader(dropped)).as(dropped).isFalse();
        }
        assertThat(received.getHeader("X-Kept")).isEqualTo("yes");
        assertThat(received.getHeader("Host")).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(response.getHeaders().contains("Keep-Alive")).isFalse();
        assertThat(response.getHeaders().contains("Proxy-Authenticate")).isFalse();
        assertThat(response.getHeaders().contains("Upgrade")).isFalse();
        assertThat(response.getHeaders().get("X-Kept")).isEqualTo("yes");
    }

    @Test
    void addsForwardingHeadersAndVia() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        TestSupport.to(client, gateway, "/fwd").headers(h -> h.add("X-Forwarded-For", "10.0.0.9")
                .add("Via", "1.1 edge")).send();

        LoggedRequest received = single();
        assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("10.0.0.9, 127.0.0.1");
        assertThat(received.getHeader("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.getHeader("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(received.getHeader("Via")).isEqualTo("1.1 edge, 1.1 longshore");
    }

    /**
     * {@code X-Forwarded-Proto} says how the client reached the gateway, which the client cannot
     * choose: an absolute-form {@code https} target on the plain port is forwarded as {@code http}.
     */
    @Test
    void anHttpsTargetOnThePlainPortIsForwardedAsHttp() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(("GET https://127.0.0.1/xfp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("ok");
        }
        assertThat(single().getUrl()).isEqualTo("/xfp");
        assertThat(single().getHeader("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void anHttp10ClientIsForwardedWithItsVersionInVia() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("old")));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write("GET /v10 HTTP/1.0\r\nHost: legacy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("old");
        }
        assertThat(single().getHeader("Via")).isEqualTo("1.0 longshore");
        assertThat(single().getHeader("X-Forwarded-Host")).isEqualTo("legacy");
    }

    @Test
    void streamsAChunkedRequestBodyAndAChunkedResponse() throws Exception {
        String big = "x".repeat(200_000);
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(big)
                .withChunkedDribbleDelay(4, 20)));
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npart-1;\r\n");
            http.send("6;ext=1\r\npart-2\r\n0\r\n\r\n");
            RawHttpClient.Response response = http.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.body()).isEqualTo(big);
        }
        LoggedRequest received = single();
        assertThat(received.getBodyAsString()).isEqualTo("part-1;part-2");
        assertThat(received.getHeader("Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void passesAFixedLengthBodyWithItsLength() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("0123456789")
                .withHeader("Content-Length", "10")));
        ContentResponse response = TestSupport.to(client, gateway, "/fixed").method(HttpMethod.PUT)
                .body(new StringRequestContent("abc")).send();

        assertThat(response.getHeaders().get("Content-Length")).isEqualTo("10");
        assertThat(response.getContentAsString()).isEqualTo("0123456789");
        assertThat(single().getHeader("Content-Length")).isEqualTo("3");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 301, 400, 404, 409, 500})
    void passesStatusCodesThrough(int status) throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withHeader("Location", "/x")));
        ContentResponse response = TestSupport.to(client, gateway, "/s").method(HttpMethod.POST)
                .body(new StringRequestContent("b")).send();

        assertThat(response.getStatus()).isEqualTo(status);
        backend.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aServerErrorFromTheReplicaIsNotRetriedForPost() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("boom")));
        ContentResponse response = TestSupport.to(client, gateway, "/err").method(HttpMethod.POST)
                .body(new StringRequestContent("b")).send();

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentAsString()).isEqualTo("boom");
        backend.verify(1, anyRequestedFor(anyUrl()).withHeader("Via", equalTo("1.1 longshore")));
    }

    private static LoggedRequest single() {
        List<LoggedRequest> all = backend.findAll(anyRequestedFor(anyUrl()));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

}
