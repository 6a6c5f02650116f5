package io.longshore.jetty.internal.accesslog;

import io.longshore.jetty.AccessLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access-log lines on a thread of its own: the proxy's threads {@link #log} an entry into
 * a bounded queue and never wait (a full queue drops the entry and counts it); the writer thread
 * formats entries in batches, writes them and flushes when the queue runs dry. {@link #close()}
 * writes what is queued, then stops, waiting a bounded time for a destination that does not
 * take lines (a standard output nobody reads): what is left then counts as dropped. Thread-safe.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final int BATCH = 256;
    private static final AccessLogEntry STOP = new AccessLogEntry(0, "", null, null, "", 0, 0, null, null, 0, 0, 0, -1,
            -1, null, null);

    /** How long {@link #close()} waits for the writer to write what is queued. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private final AccessLog config;
    private final long closeWaitMillis;
    private final SinkOpener opener;
    private final BlockingQueue<AccessLogEntry> queue;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean closed;
    /** The open destination: set by {@link #start()} before the thread starts, then the thread's. */
    private Sink sink;

    public AccessLogWriter(AccessLog config) {
        this(config, null, CLOSE_WAIT_MILLIS);
    }

    /** With the destination {@code opener} opens ({@code null}: the config's) and a close wait of its own (a test's). */
    AccessLogWriter(AccessLog config, SinkOpener opener, long closeWaitMillis) {
        this.config = config;
        this.opener = opener != null ? opener : this::openSink;
        this.closeWaitMillis = closeWaitMillis;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.thread = new Thread(this::run, "longshore-access-log");
        thread.setDaemon(true);
    }

    /**
     * Opens the destination and starts the writer thread. A file that cannot be opened (a
     * directory, a path whose directory cannot be made, no permission) fails the start, as
     * nginx refuses to start with an access log it cannot open, rather than a gateway serving
     * with no log.
     *
     * @throws UncheckedIOException naming the file and why it could not be opened
     */
    public synchronized void start() {
        if (sink != null || closed) {
            return;
        }
        try {
            sink = opener.open();
        } catch (IOException e) {
            throw new UncheckedIOException("the access log " + config.file() + " cannot be opened for writing: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        thread.start();
    }

    /** Queues one entry; never blocks. */
    public void log(AccessLogEntry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** Entries dropped because the queue was full (or the log closed). */
    public long dropped() {
        return dropped.sum();
    }

    private void run() {
        List<AccessLogEntry> batch = new ArrayList<>(BATCH);
        try (Sink sink = this.sink) {
            while (true) {
                AccessLogEntry first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                boolean stop = false;
                for (AccessLogEntry entry : batch) {
                    if (entry == STOP) {
                        stop = true;
                    } else {
                        sink.write(AccessLogFormat.format(entry, config.format()));
                    }
                }
                batch.clear();
                if (stop) {
                    return;
                }
                if (queue.isEmpty()) {
                    sink.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("the {} failed; no more lines are written", config, e);
            closed = true;
        }
    }

    private Sink openSink() throws IOException {
        return switch (config.destination()) {
            case FILE -> new WriterSink(fileWriter(config.file()));
            case STANDARD_OUTPUT -> new PrintSink(System.out);
            case LOGGER -> new LoggerSink(LoggerFactory.getLogger(config.loggerName()));
        };
    }

    private static Writer fileWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 64 * 1024);
    }

    /**
     * Writes what is queued, then stops the thread, waiting up to {@link #CLOSE_WAIT_MILLIS} for room
     * for the stop in a full queue and as long again for the writer to reach it. Lines still queued after
     * that, or logged while the log closed, count as dropped; a writer stuck in its destination
     * is left behind (a daemon thread), so a gateway's shutdown never hangs on its access log.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (thread.isAlive()) {
            try {
                if (queue.offer(STOP, closeWaitMillis, TimeUnit.MILLISECONDS)) {
                    thread.join(closeWaitMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the {} did not write its last lines within {} ms; leaving them", config, closeWaitMillis);
            }
        }
        List<AccessLogEntry> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(entry -> entry == STOP);
        dropped.add(left.size());
    }

    /** Opens the destination. */
    interface SinkOpener {
        Sink open() throws IOException;
    }

    /** Where lines go. */
    interface Sink extends AutoCloseable {
        void write(String line) throws IOException;

        void flush() throws IOException;

        @Override
        void close() throws IOException;
    }

    private record WriterSink(Writer writer) implements Sink {
        @Override
        public void write(String line) throws IOException {
            writer.write(line);
            writer.write('\n');
        }

        @Override
        public void flush() throws IOException {
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    /** Standard output: written through, never closed. */
    private record PrintSink(PrintStream out) implements Sink {
        @Override
        public void write(String line) {
            out.println(line);
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    private record LoggerSink(Logger logger) implements Sink {
        @Override
        public void write(String line) {
            logger.info(line);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
