package io.longshore.jetty.internal.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.jetty.AccessLog;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AccessLogFormatTest {
    private static final long TIME = 1_796_472_000_123L; // 2026-12-05T12:00:00.123Z

    @Test
    void writesTheCombinedFormatWithTheGatewaysFieldsAfterIt() {
        AccessLogEntry entry = new AccessLogEntry(TIME, "10.0.0.7", "GET", "/api/v1/categories?x=1", "HTTP/1.1", 200,
                2326, "acts", "acts-8000", 200, 1, 1_234_567, 120_000, 987_000, "http://ref/", "curl/8.0");

        assertThat(AccessLogFormat.format(entry, AccessLog.Format.COMBINED)).isEqualTo("10.0.0.7 - - "
                + "[05/Dec/2026:12:00:00 +0000] \"GET /api/v1/categories?x=1 HTTP/1.1\" 200 2326 \"http://ref/\" "
                + "\"curl/8.0\" service=acts replica=acts-8000 upstream_status=200 retries=1 total_ms=1.234 "
                + "connect_ms=0.120 first_byte_ms=0.987");
    }

    @Test
    void writesAHeadThatCouldNotBeReadAndMissingTimesAsDashes() {
        AccessLogEntry entry = new AccessLogEntry(TIME, "::1", null, null, "HTTP/1.1", 400, 12, null, null, 0, 0, 0,
                -1, -1, null, null);

        assertThat(AccessLogFormat.format(entry, AccessLog.Format.COMBINED)).isEqualTo("::1 - - "
                + "[05/Dec/2026:12:00:00 +0000] \"-\" 400 12 \"-\" \"-\" service=- replica=- upstream_status=- "
                + "retries=0 total_ms=0.000 connect_ms=- first_byte_ms=-");
    }

    @Test
    void writesJsonWithNullsForWhatIsMissingAndEscapesWhatTheClientSent() {
        AccessLogEntry entry = new AccessLogEntry(TIME, "127.0.0.1", "GET", "/a\"b", "HTTP/1.0", 499, 0, "acts", null,
                0, 0, 5_000_000, -1, -1, null, "a\\b\u0001");

        assertThat(AccessLogFormat.format(entry, AccessLog.Format.JSON)).isEqualTo("{\"time\":\"2026-12-05T12:00:00.123Z\","
                + "\"client\":\"127.0.0.1\",\"method\":\"GET\",\"path\":\"/a\\\"b\",\"protocol\":\"HTTP/1.0\",\"status\":499,"
                + "\"bytes\":0,\"service\":\"acts\",\"replica\":null,\"upstream_status\":null,\"retries\":0,"
                + "\"total_ms\":5.000,\"upstream_connect_ms\":null,\"upstream_first_byte_ms\":null,\"referer\":null,"
                + "\"user_agent\":\"a\\\\b\\u0001\"}");
    }

    @Test
    void aFullQueueDropsAndCountsALineInsteadOfWaiting() {
        AccessLogWriter writer = new AccessLogWriter(AccessLog.toStandardOutput(AccessLog.Format.JSON)
                .withQueueCapacity(1)); // not started: nothing takes lines off the queue
        AccessLogEntry entry = new AccessLogEntry(TIME, "c", "GET", "/", "HTTP/1.1", 200, 0, null, null, 0, 0, 0, -1,
                -1, null, null);

        writer.log(entry);
        writer.log(entry);

        assertThat(writer.dropped()).isEqualTo(1);
        writer.close();
    }

    @Test
    @Timeout(30) // the old close waited forever for room in the queue
    void closingWhileTheDestinationTakesNoLinesReturnsAndCountsWhatWasLeft() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AccessLogWriter.Sink blocked = new AccessLogWriter.Sink() {
            @Override
            public void write(String line) throws IOException {
                stuck.countDown();
                try {
                    release.await(); // a standard output nobody reads
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AccessLogWriter writer = new AccessLogWriter(AccessLog.toStandardOutput(AccessLog.Format.JSON)
                .withQueueCapacity(2), () -> blocked, 200);
        AccessLogEntry entry = new AccessLogEntry(TIME, "c", "GET", "/", "HTTP/1.1", 200, 0, null, null, 0, 0, 0, -1,
                -1, null, null);
        writer.start();
        writer.log(entry);
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds the first line
        writer.log(entry);
        writer.log(entry); // the queue is full now

        writer.close(); // without a bounded wait this never returns
        writer.log(entry);

        assertThat(writer.dropped()).as("two queued, one after close").isEqualTo(3);
        release.countDown();
    }
}
