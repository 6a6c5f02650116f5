package io.longshore.jetty.internal.accesslog;

import io.longshore.jetty.AccessLog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Turns an {@link AccessLogEntry} into a line of the combined format or of JSON. Stateless. */
final class AccessLogFormat {
    private static final DateTimeFormatter COMMON_TIME = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AccessLogFormat() {
    }

    static String format(AccessLogEntry e, AccessLog.Format format) {
        return format == AccessLog.Format.JSON ? json(e) : combined(e);
    }

    /**
     * {@code client - - [time] "METHOD target PROTOCOL" status bytes "referer" "agent" service=…
     * replica=… upstream_status=… retries=… total_ms=… connect_ms=… first_byte_ms=…}; a missing
     * value is {@code -}.
     */
    static String combined(AccessLogEntry e) {
        StringBuilder line = new StringBuilder(192);
        line.append(e.client()).append(" - - [").append(COMMON_TIME.format(Instant.ofEpochMilli(e.epochMillis())))
                .append("] \"");
        if (e.method() == null) {
            line.append('-');
        } else {
            quoted(line, e.method()).append(' ');
            quoted(line, e.target()).append(' ').append(e.protocol());
        }
        line.append("\" ").append(e.status()).append(' ').append(e.bytes()).append(" \"");
        quoted(line, e.referer() == null ? "-" : e.referer()).append("\" \"");
        quoted(line, e.userAgent() == null ? "-" : e.userAgent()).append('"');
        line.append(" service=").append(orDash(e.service()))
                .append(" replica=").append(orDash(e.replica()))
                .append(" upstream_status=").append(e.upstreamStatus() > 0 ? String.valueOf(e.upstreamStatus()) : "-")
                .append(" retries=").append(e.retries())
                .append(" total_ms=").append(millis(e.totalNanos()))
                .append(" connect_ms=").append(e.connectNanos() < 0 ? "-" : millis(e.connectNanos()))
                .append(" first_byte_ms=").append(e.firstByteNanos() < 0 ? "-" : millis(e.firstByteNanos()));
        return line.toString();
    }

    static String json(AccessLogEntry e) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "time", Instant.ofEpochMilli(e.epochMillis()).toString()).append(',');
        field(line, "client", e.client()).append(',');
        field(line, "method", e.method()).append(',');
        field(line, "path", e.target()).append(',');
        field(line, "protocol", e.protocol()).append(',');
        line.append("\"status\":").append(e.status()).append(",\"bytes\":").append(e.bytes()).append(',');
        field(line, "service", e.service()).append(',');
        field(line, "replica", e.replica()).append(',');
        line.append("\"upstream_status\":").append(e.upstreamStatus() > 0 ? String.valueOf(e.upstreamStatus()) : "null")
                .append(",\"retries\":").append(e.retries())
                .append(",\"total_ms\":").append(millis(e.totalNanos()))
                .append(",\"upstream_connect_ms\":").append(e.connectNanos() < 0 ? "null" : millis(e.connectNanos()))
                .append(",\"upstream_first_byte_ms\":")
                .append(e.firstByteNanos() < 0 ? "null" : millis(e.firstByteNanos())).append(',');
        field(line, "referer", e.referer()).append(',');
        field(line, "user_agent", e.userAgent());
        return line.append('}').toString();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /** Milliseconds with three decimals (microsecond resolution). */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        return (micros / 1_000) + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
    }

    /** Appends {@code value} for a quoted combined-format field: quotes, backslashes and controls escaped. */
    private static StringBuilder quoted(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                line.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                line.append(c);
            }
        }
        return line;
    }

    private static StringBuilder field(StringBuilder line, String name, String value) {
        line.append('"').append(name).append("\":");
        if (value == null) {
            return line.append("null");
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        return line.append('"');
    }
}
