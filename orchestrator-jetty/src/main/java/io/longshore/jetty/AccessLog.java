package io.longshore.jetty;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the gateway writes its access log: one line per request, in the combined log
 * format extended with the gateway's own fields, or as JSON; to a file, to standard output, or to
 * an SLF4J logger. Off unless given to {@link GatewayBuilder#accessLog(AccessLog)}. Lines are
 * handed to a writer thread of their own through a bounded queue, so no event loop ever waits
 * for a disk or a logger; when the queue is full a line is dropped and counted
 * ({@code longshore_gateway_access_log_dropped_total}). Immutable.
 */
public final class AccessLog {
    /** The logger lines go to with {@link #toLogger(String, Format)} when no name is given. */
    public static final String DEFAULT_LOGGER = "io.longshore.gateway.access";
    /** Lines waiting for the writer thread, at most; more are dropped. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

    /** How each line is written. */
    public enum Format {
        /**
         * The combined log format (client, identity, user, time, request line, status, bytes,
         * referer, user agent), then {@code key=value} pairs: service, replica, upstream status,
         * retries and the total, upstream-connect and upstream-first-byte times in milliseconds.
         */
        COMBINED,
        /** One JSON object per line, with the same fields. */
        JSON
    }

    /** Where lines go. */
    public enum Destination { FILE, STANDARD_OUTPUT, LOGGER }

    private final Destination destination;
    private final Path file;
    private final String loggerName;
    private final Format format;
    private final int queueCapacity;

    private AccessLog(Destination destination, Path file, String loggerName, Format format, int queueCapacity) {
        this.destination = destination;
        this.file = file;
        this.loggerName = loggerName;
        this.format = Objects.requireNonNull(format, "format");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1, was " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    /** Appends lines to {@code file} (created when absent, with its missing parent directories). */
    public static AccessLog toFile(Path file, Format format) {
        return new AccessLog(Destination.FILE, Objects.requireNonNull(file, "file"), null, format,
                DEFAULT_QUEUE_CAPACITY);
    }

    /** Writes lines to the process's standard output. */
    public static AccessLog toStandardOutput(Format format) {
        return new AccessLog(Destination.STANDARD_OUTPUT, null, null, format, DEFAULT_QUEUE_CAPACITY);
    }

    /** Logs each line at INFO to the SLF4J logger named {@code loggerName} (e.g. {@link #DEFAULT_LOGGER}). */
    public static AccessLog toLogger(String loggerName, Format format) {
        if (loggerName == null || loggerName.isBlank()) {
            throw new IllegalArgumentException("loggerName must not be blank");
        }
        return new AccessLog(Destination.LOGGER, null, loggerName, format, DEFAULT_QUEUE_CAPACITY);
    }

    /** The same log with room for {@code capacity} lines waiting to be written. */
    public AccessLog withQueueCapacity(int capacity) {
        return new AccessLog(destination, file, loggerName, format, capacity);
    }

    public Destination destination() {
        return destination;
    }

    /** The file, for {@link Destination#FILE}; else {@code null}. */
    public Path file() {
        return file;
    }

    /** The logger's name, for {@link Destination#LOGGER}; else {@code null}. */
    public String loggerName() {
        return loggerName;
    }

    public Format format() {
        return format;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    @Override
    public String toString() {
        return "access log " + format + " to " + switch (destination) {
            case FILE -> file.toString();
            case STANDARD_OUTPUT -> "standard output";
            case LOGGER -> "logger " + loggerName;
        };
    }
}
