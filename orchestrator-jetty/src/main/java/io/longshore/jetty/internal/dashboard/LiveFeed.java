package io.longshore.jetty.internal.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.Clock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed behind {@code GET /stream}: every {@link #INTERVAL} (on a scheduler thread of
 * its own, started and stopped with the admin handler) it captures a frame of every service
 * and sends it to every open stream as a server-sent event {@code snapshot}; a new stream gets
 * the latest frame at once. With no stream open a tick only records each service's
 * desired/ready history (so the chart reaches back {@link ServiceHistory#SPAN} even for a page
 * opened just now) and shapes no frame: the feed's thread shares the machine, often the core,
 * with the event loops, and a frame nobody reads would cost them about a millisecond twice a
 * second. While running it turns on the per-replica load windows of the gateway's metrics (a
 * few atomic adds per request), so a page opened now shows the last ten seconds. Thread-safe.
 */
final class LiveFeed extends ContainerLifeCycle {
    /** How often a frame goes out: the page is never more than this behind. */
    static final Duration INTERVAL = Duration.ofMillis(500);
    /** Open streams at most; more get 503. */
    static final int MAX_SUBSCRIBERS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private static final byte[] PREAMBLE = "retry: 1000\n\n".getBytes(StandardCharsets.US_ASCII);

    private final List<LiveService> services;
    private final List<ServiceHistory> histories = new ArrayList<>();
    private final Clock clock;
    private final ObjectMapper json;
    private final Scheduler scheduler = new ScheduledExecutorScheduler("longshore-admin-feed", true);
    private final List<StreamSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile byte[] latest;
    private volatile Scheduler.Task next;

    LiveFeed(List<LiveService> services, Clock clock, ObjectMapper json) {
        this.services = List.copyOf(services);
        this.clock = clock;
        this.json = json;
        services.forEach(s -> histories.add(new ServiceHistory()));
        addBean(scheduler);
    }

    @Override
    protected void doStart() throws Exception {
        services.forEach(s -> s.metrics().trackLoad(true));
        super.doStart();
        scheduleNext();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
        subscribers.forEach(StreamSubscriber::end);
        super.doStop();
        services.forEach(s -> s.metrics().trackLoad(false));
    }

    private void scheduleNext() {
        if (isRunning() || isStarting()) {
            next = scheduler.schedule(this::tickAndReschedule, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void tickAndReschedule() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("the admin feed could not capture a frame; trying again", e);
        } finally {
            scheduleNext();
        }
    }

    /**
     * Captures a frame of every service and sends it to every open stream; with no stream open,
     * only records the histories. Called by the feed's thread (tests call it directly).
     */
    synchronized void tick() {
        if (subscribers.isEmpty()) {
            latest = null; // a stream that opens captures a fresh frame
            record();
            return;
        }
        byte[] frame = event(capture());
        latest = frame;
        for (StreamSubscriber subscriber : subscribers) {
            subscriber.offer(frame);
        }
    }

    /** Records every service's history without shaping a frame (a tick with no stream open). */
    private void record() {
        Instant now = clock.instant();
        for (int i = 0; i < services.size(); i++) {
            LiveService service = services.get(i);
            try {
                FeedFrame.record(service, histories.get(i), now);
            } catch (RuntimeException e) {
                LOG.warn("the admin feed could not read service {}", service.name(), e);
            }
        }
    }

    /** The frame a new stream would get without capturing one; null while no stream is open. */
    byte[] latest() {
        return latest;
    }

    /** {@code {"time":"…","services":[frame, …]}}; a service whose view throws shows its {@code error}. */
    Map<String, Object> capture() {
        Instant now = clock.instant();
        long nowNanos = clock.nanoTime();
        List<Map<String, Object>> frames = new ArrayList<>(services.size());
        for (int i = 0; i < services.size(); i++) {
            LiveService service = services.get(i);
            try {
                frames.add(FeedFrame.capture(service, histories.get(i), now, nowNanos));
            } catch (RuntimeException e) {
                LOG.warn("the admin feed could not read service {}", service.name(), e);
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("service", service.name());
                failed.put("prefix", service.prefix());
                failed.put("error", String.valueOf(e.getMessage()));
                frames.add(failed);
            }
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("time", now.toString());
        snapshot.put("services", frames);
        return snapshot;
    }

    /** Opens a stream on {@code response}: the preamble and the latest frame now, then every frame to come. */
    void subscribe(Request request, Response response, Callback callback) {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            new JsonReplies(json).error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "too many open streams (" + MAX_SUBSCRIBERS + ")");
            return;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        byte[] first = latest;
        if (first == null) {
            synchronized (this) {
                first = latest != null ? latest : event(capture());
            }
        }
        ByteArrayOutputStream opening = new ByteArrayOutputStream(PREAMBLE.length + first.length);
        opening.writeBytes(PREAMBLE);
        opening.writeBytes(first);
        StreamSubscriber subscriber = new StreamSubscriber(response, callback, subscribers::remove);
        subscriber.offer(opening.toByteArray(), () -> {
            subscribers.add(subscriber);
            if (!isRunning()) {
                subscriber.end();
            }
        });
    }

    /** Open streams now. */
    int subscribers() {
        return subscribers.size();
    }

    private byte[] event(Map<String, Object> snapshot) {
        try {
            return ("event: snapshot\ndata: " + json.writeValueAsString(snapshot) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the feed's frame is not JSON", e);
        }
    }
}
