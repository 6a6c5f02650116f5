package io.longshore.simulator;

import io.longshore.api.Endpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One modelled replica on virtual time: after its start-up it works on up to its concurrency
 * limit of requests at once, each for a service time drawn from its model, and queues the rest
 * in arrival order; it fails its model's share of requests fast; during a stall no request makes
 * progress (and probes fail). Stopping it breaks every request it holds. It also tells its CPU
 * use: the share of its slots busy since the last reading. Confined to the simulation's thread.
 */
final class SimulatedReplica {
    private final String id;
    private final Endpoint endpoint;
    private final ReplicaModel model;
    private final RandomGenerator random;
    private final Timers timers;
    private final long startedNanos;
    private final long readyNanos;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Set<Job> inService = new LinkedHashSet<>();
    private long stoppedNanos = -1;
    private long busyArea;
    private long lastChange;
    private long lastReadingArea;
    private long lastReadingNanos;
    private long requests;
    private long failures;

    SimulatedReplica(String id, Endpoint endpoint, ReplicaModel model, RandomGenerator random, Timers timers,
                     long readyNanos) {
        this.id = id;
        this.endpoint = endpoint;
        this.model = model;
        this.random = random;
        this.timers = timers;
        this.startedNanos = timers.nanos();
        this.readyNanos = readyNanos;
        this.lastChange = startedNanos;
        this.lastReadingNanos = startedNanos;
    }

    String id() {
        return id;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    ReplicaModel model() {
        return model;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** When it was stopped, or -1 while it runs. */
    long stoppedNanos() {
        return stoppedNanos;
    }

    long requests() {
        return requests;
    }

    long failures() {
        return failures;
    }

    /** Whether it would pass a probe now: started up, not stopped, not stalled. */
    boolean healthy() {
        long now = timers.nanos();
        return stoppedNanos < 0 && now >= readyNanos && !stalledAt(now);
    }

    /** Takes a request: works on it now if a slot is free, else queues it. */
    void accept(Job job) {
        requests++;
        if (stoppedNanos >= 0) {
            job.broken();
            return;
        }
        if (model.concurrency() == 0 || inService.size() < model.concurrency()) {
            begin(job);
        } else {
            queue.addLast(job);
        }
    }

    private void begin(Job job) {
        long now = timers.nanos();
        account(now);
        inService.add(job);
        boolean fails = model.failureRate() > 0 && random.nextDouble() < model.failureRate();
        long work = fails ? model.failureLatency().toNanos() : model.serviceTime().sampleNanos(random);
        int status = fails ? model.failureStatus() : 200;
        timers.at(finishAt(Math.max(now, readyNanos), work), () -> finish(job, status));
    }

    private void finish(Job job, int status) {
        if (!inService.remove(job)) {
            return; // broken by a stop meanwhile
        }
        account(timers.nanos());
        if (status >= 500) {
            failures++;
        }
        job.answered(status);
        Job next = queue.pollFirst();
        if (next != null) {
            begin(next);
        }
    }

    /** The replica is gone: every request it holds is broken. */
    void stop() {
        if (stoppedNanos >= 0) {
            return;
        }
        long now = timers.nanos();
        account(now);
        stoppedNanos = now;
        List<Job> held = new ArrayList<>(inService);
        held.addAll(queue);
        inService.clear();
        queue.clear();
        held.forEach(Job::broken);
    }

    /** When {@code work} nanoseconds begun at {@code start} end, the stalls on the way added. */
    long finishAt(long start, long work) {
        if (!model.stalls()) {
            return start + work;
        }
        long every = model.stallEvery().toNanos();
        long length = model.stallLength().toNanos();
        long t = start;
        long remaining = work;
        while (true) {
            long k = (t - readyNanos) / every;
            long stallStart = readyNanos + k * every;
            if (k >= 1 && t < stallStart + length) {
                t = stallStart + length;
            }
            long run = Math.min(remaining, readyNanos + (k + 1) * every - t);
            t += run;
            remaining -= run;
            if (remaining == 0) {
                return t;
            }
        }
    }

    private boolean stalledAt(long now) {
        if (!model.stalls() || now < readyNanos) {
            return false;
        }
        long every = model.stallEvery().toNanos();
        long k = (now - readyNanos) / every;
        return k >= 1 && now - (readyNanos + k * every) < model.stallLength().toNanos();
    }

    /** CPU use since the last reading, in percent of the replica's slots (100 = all busy). */
    double cpuPercent() {
        long now = timers.nanos();
        account(now);
        long elapsed = now - lastReadingNanos;
        double busy = elapsed <= 0 ? inService.size() : (busyArea - lastReadingArea) / (double) elapsed;
        lastReadingArea = busyArea;
        lastReadingNanos = now;
        return 100.0 * busy / Math.max(1, model.concurrency());
    }

    private void account(long now) {
        busyArea += (long) inService.size() * (now - lastChange);
        lastChange = now;
    }

    @Override
    public String toString() {
        return id + "(" + model.name() + ")@" + endpoint;
    }
}
