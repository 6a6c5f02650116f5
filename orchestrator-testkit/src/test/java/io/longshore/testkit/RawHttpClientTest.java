package io.longshore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The raw client reads responses as framed on the wire: by length, chunked, to the end of the stream. */
class RawHttpClientTest {

    @Test
    void readsPipelinedResponsesFramedEachWayAndSeesTheServerClose() throws IOException {
        try (ScriptedBackend backend = ScriptedBackend.start()) {
            backend.enqueue(ScriptedResponse.ok("fixed").withHeader("X-One", "1"));
            backend.enqueue(ScriptedResponse.ok("chunked body").chunked(5));
            backend.enqueue(ScriptedResponse.ok("no body for HEAD"));
            backend.enqueue(ScriptedResponse.ok("to the end").delimitedByClose());

            try (RawHttpClient http = new RawHttpClient(backend.port())) {
                http.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
                        + "HEAD /3 HTTP/1.1\r\nHost: h\r\n\r\nGET /4 HTTP/1.1\r\nHost: h\r\n\r\n");
                RawHttpClient.Response fixed = http.read();
                RawHttpClient.Response chunked = http.read();
                RawHttpClient.Response head = http.read(true);
                RawHttpClient.Response closing = http.read();

                assertThat(fixed.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(fixed.status()).isEqualTo(200);
                assertThat(fixed.header("x-one")).isEqualTo("1");
                assertThat(fixed.body()).isEqualTo("fixed");
                assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
                assertThat(chunked.body()).isEqualTo("chunked body");
                assertThat(head.header("Content-Length")).isEqualTo("16");
                assertThat(head.body()).isEmpty();
                assertThat(closing.body()).isEqualTo("to the end");
                assertThat(http.isClosedByPeer()).isTrue();
            }
        }
    }
}
