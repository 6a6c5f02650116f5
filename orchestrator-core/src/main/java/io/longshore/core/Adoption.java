package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.Endpoint;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over what a previous orchestrator of the service left: lists its containers, adopts the
 * running ones whose spec is known — the desired one or another one, which a rollout then
 * replaces — one per port slot, oldest first, at most {@code maxReplicas} plus the rollout's surge
 * for it, and stops the others.
 * A container that is stopped holds its port slot (as a replica in {@code STOPPING}) until its
 * stop is done, and a new replica takes the slot only then, so the two never race for the port.
 * New replica ids continue after the highest id found. Loop only; not thread-safe.
 */
final class Adoption {
    private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);
    static final long FIRST_RETRY_MILLIS = 250;
    static final long MAX_RETRY_MILLIS = 5_000;
    /** A list that has not returned by then is given up and asked again (the kubelet's runtime request timeout). */
    static final Duration LIST_TIMEOUT = Duration.ofMinutes(2);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final OrchestratorConfig config;
    private final Consumer<Replica> stop;
    private final Consumer<Replica> adopted;

    /**
     * @param stop    stops the container of a replica in {@code STOPPING} (the lifecycle's), which
     *                then leaves as its departure says
     * @param adopted gets each replica adopted, once in the table (the lifecycle applies what the
     *                runtime reported about its container before: an exit between the list and now)
     */
    Adoption(ControlPort control, ReplicaTable table, OrchestratorConfig config, Consumer<Replica> stop,
             Consumer<Replica> adopted) {
        this.control = control;
        this.table = table;
        this.runtime = config.runtime();
        this.config = config;
        this.stop = stop;
        this.adopted = adopted;
    }

    /**
     * Lists the service's containers off the loop and hands them to {@code then} on the loop. A
     * list that fails (the runtime or its API server unreachable), or has not returned within
     * {@link #LIST_TIMEOUT}, is tried again, after {@value #FIRST_RETRY_MILLIS} ms and then twice
     * as long each time up to {@value #MAX_RETRY_MILLIS} ms, until it succeeds or {@code closing}
     * says the loop is closing: starting replicas without knowing what already runs would start a
     * second set beside the one a previous orchestrator left, as a Kubernetes controller waits for
     * its cache to sync. What a list given up returns late is ignored.
     */
    void find(Consumer<List<ContainerInfo>> then, BooleanSupplier closing) {
        list(then, closing, FIRST_RETRY_MILLIS);
    }

    private void list(Consumer<List<ContainerInfo>> then, BooleanSupplier closing, long retryMillis) {
        var selector = ContainerLabels.selector(control.service(), control.service());
        RuntimeAnswer answer = new RuntimeAnswer();
        control.later(LIST_TIMEOUT, () -> {
            if (answer.giveUp() && !closing.getAsBoolean()) {
                retry(then, closing, retryMillis, "the runtime's list did not return within " + LIST_TIMEOUT, null);
            }
        });
        control.offLoop(() -> {
            List<ContainerInfo> found;
            try {
                found = runtime.list(selector);
                if (found == null || found.contains(null)) {
                    throw new IllegalStateException("the runtime's list returned " + (found == null ? "null"
                            : "a null container") + " instead of the containers");
                }
            } catch (RuntimeException | Error e) {
                UserCode.rethrowIfFatal(e);
                if (answer.deliver()) {
                    retry(then, closing, retryMillis, "cannot list existing containers", e);
                }
                return;
            }
            if (answer.deliver()) {
                control.post(() -> then.accept(found));
            } else {
                LOG.info("{}: the runtime's list returned after it had been given up; ignored", control.service());
            }
        });
    }

    private void retry(Consumer<List<ContainerInfo>> then, BooleanSupplier closing, long retryMillis, String why,
                       Throwable error) {
        LOG.warn("{}: {}, so nothing is started yet; trying again in {} ms", control.service(), why, retryMillis, error);
        control.later(Duration.ofMillis(retryMillis), () -> {
            if (!closing.getAsBoolean()) {
                list(then, closing, Math.min(retryMillis * 2, MAX_RETRY_MILLIS));
            }
        });
    }

    /**
     * Adopts the adoptable containers of {@code found} and stops the rest (replaced by replicas of
     * the desired revision in their slots once stopped). Returns the replica count the adopted
     * imply: how many were adopted or, when they run several specs (an orchestrator stopped in a
     * rollout, whose replicas include its surge), the largest number running one spec.
     */
    int adopt(FoundReplicas found) {
        found.containers().forEach(info -> table.continueAfter(info.labels().getOrDefault(ContainerLabels.REPLICA, "")));
        Map<String, Integer> bySpec = new HashMap<>();
        int adopted = 0;
        int most = config.maxReplicas() + config.rollout().surgeFor(config.maxReplicas());
        for (ContainerInfo info : found.containers().stream().sorted(Comparator.comparing(ContainerInfo::startedAt)).toList()) {
            int slot = slot(info);
            Optional<Revision> revision = found.revisionOf(info);
            if (slot > 0 && revision.isPresent() && info.running() && info.hasEndpoint() && adopted < most) {
                adoptOne(info, slot, revision.get());
                bySpec.merge(revision.get().hash(), 1, Integer::sum);
                adopted++;
            } else {
                stopStale(info, slot, found.desired(), revision, revision.isEmpty()
                        ? "runs a spec that cannot be recovered"
                        : !info.running() ? "exited" : !info.hasEndpoint() ? "has no endpoint" : "is one too many");
            }
        }
        return bySpec.size() > 1 ? bySpec.values().stream().max(Integer::compare).orElse(0) : adopted;
    }

    /**
     * The free port slot {@code info} claims, or 0: from {@code basePort} on, free in the table,
     * and (for a runtime that takes the proposed endpoint) the port it serves on.
     */
    private int slot(ContainerInfo info) {
        int slot;
        try {
            slot = Integer.parseInt(info.labels().getOrDefault(ContainerLabels.PORT, ""));
        } catch (NumberFormatException e) {
            return 0;
        }
        boolean servesOnSlot = runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED
                || !info.hasEndpoint() || info.endpoint().port() == slot;
        boolean usable = servesOnSlot && slot >= config.basePort() && slot <= 65_535 && table.atPort(slot) == null;
        return usable ? slot : 0;
    }

    private void adoptOne(ContainerInfo info, int slot, Revision revision) {
        String id = idOf(info, slot);
        Endpoint endpoint = runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED
                ? info.endpoint() : new Endpoint(config.host(), slot);
        Replica replica = new Replica(id, slot, revision, control);
        table.add(replica);
        replica.adopt(info.id(), info.startedAt(), endpoint, config.startGrace());
        adopted.accept(replica);
    }

    /**
     * Stops a container that cannot be adopted, with the stop grace of the spec it runs ({@code
     * runs}, from its labels) or, when that cannot be recovered, the configured spec's. In a free
     * slot it holds the slot until stopped, and a replica of {@code desired} follows it there;
     * elsewhere it is stopped in the background.
     */
    private void stopStale(ContainerInfo info, int slot, Revision desired, Optional<Revision> runs, String why) {
        LOG.info("{}: stopping container {} ({}), which {}", control.service(), info.id(), info.endpoint(), why);
        Duration grace = !info.running() ? Duration.ZERO
                : runs.map(Revision::spec).orElse(config.service()).stopGrace();
        if (slot == 0) {
            String id = info.id();
            control.offLoop(() -> stopQuietly(id, grace));
            return;
        }
        Replica stale = new Replica(idOf(info, slot), slot, desired, control);
        table.add(stale);
        stale.foundStale(info.id(), info.startedAt(), Departure.replace("found at start: it " + why, false,
                Duration.ZERO), grace);
        stop.accept(stale);
    }

    /** The replica id on its label, or a fresh one. */
    private String idOf(ContainerInfo info, int slot) {
        String id = info.labels().get(ContainerLabels.REPLICA);
        return id != null && !id.isBlank() ? id : table.nextId(slot);
    }

    private void stopQuietly(String containerId, Duration grace) {
        try {
            runtime.stop(containerId, grace);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not stop stale container {}", control.service(), containerId, e);
        }
    }
}
