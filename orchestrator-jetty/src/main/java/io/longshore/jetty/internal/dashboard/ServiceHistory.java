package io.longshore.jetty.internal.dashboard;

import io.longshore.api.OrchestratorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired and ready counts of one service over the last {@link #SPAN}, one sample per
 * second, and the scaling decisions (each {@code Scaled} event, with its reason) of that span.
 * A second without a sample repeats the one before it. Confined to the live feed's thread (or
 * a test's); not thread-safe.
 */
final class ServiceHistory {
    /** How far back the chart reaches. */
    static final Duration SPAN = Duration.ofMinutes(10);
    /** At most this many scaling decisions are kept. */
    static final int MAX_SCALINGS = 100;
    private static final int SECONDS = (int) SPAN.toSeconds();

    private final int[] desired = new int[SECONDS];
    private final int[] ready = new int[SECONDS];
    private final Deque<OrchestratorEvent.Scaled> scalings = new ArrayDeque<>();
    private int count;
    private int newest = -1;
    private long newestSecond;
    private OrchestratorEvent newestEventSeen;

    /** Records the counts at {@code at}; a later sample in the same second replaces the earlier. */
    void sample(Instant at, int desiredCount, int readyCount) {
        long second = at.getEpochSecond();
        if (count == 0) {
            push(desiredCount, readyCount);
            newestSecond = second;
            return;
        }
        if (second <= newestSecond) {
            desired[newest] = desiredCount; // the same second, or the wall clock stepped back
            ready[newest] = readyCount;
            return;
        }
        long gap = Math.min(second - newestSecond - 1, SECONDS);
        for (long i = 0; i < gap; i++) {
            push(desired[newest], ready[newest]);
        }
        push(desiredCount, readyCount);
        newestSecond = second;
    }

    private void push(int desiredCount, int readyCount) {
        newest = (newest + 1) % SECONDS;
        desired[newest] = desiredCount;
        ready[newest] = readyCount;
        count = Math.min(count + 1, SECONDS);
    }

    /**
     * Takes the {@code Scaled} events among {@code newestFirst} (the orchestrator's recent events)
     * that are newer than those seen before.
     */
    void scalings(List<OrchestratorEvent> newestFirst) {
        List<OrchestratorEvent.Scaled> fresh = new ArrayList<>();
        for (OrchestratorEvent event : newestFirst) {
            if (event.equals(newestEventSeen)) {
                break;
            }
            if (event instanceof OrchestratorEvent.Scaled scaled) {
                fresh.add(scaled);
            }
        }
        if (!newestFirst.isEmpty()) {
            newestEventSeen = newestFirst.get(0);
        }
        for (int i = fresh.size() - 1; i >= 0; i--) {
            scalings.addLast(fresh.get(i));
            if (scalings.size() > MAX_SCALINGS) {
                scalings.removeFirst();
            }
        }
    }

    /**
     * {@code {"stepMillis":1000,"end":"…","desired":[…],"ready":[…],"scalings":[{"at","from","to","reason"}]}},
     * oldest first; {@code end} is the newest sample's second (null before the first sample), and
     * only the decisions within the span before {@code now} are listed.
     */
    Map<String, Object> toJson(Instant now) {
        List<Integer> d = new ArrayList<>(count);
        List<Integer> r = new ArrayList<>(count);
        for (int i = count - 1; i >= 0; i--) {
            int index = Math.floorMod(newest - i, SECONDS);
            d.add(desired[index]);
            r.add(ready[index]);
        }
        List<Map<String, Object>> marks = new ArrayList<>();
        Instant since = now.minus(SPAN);
        for (OrchestratorEvent.Scaled scaled : scalings) {
            if (!scaled.at().isBefore(since)) {
                Map<String, Object> mark = new LinkedHashMap<>();
                mark.put("at", scaled.at().toString());
                mark.put("from", scaled.from());
                mark.put("to", scaled.to());
                mark.put("reason", scaled.reason());
                marks.add(mark);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stepMillis", 1000);
        json.put("end", count == 0 ? null : Instant.ofEpochSecond(newestSecond).toString());
        json.put("desired", d);
        json.put("ready", r);
        json.put("scalings", marks);
        return json;
    }
}
