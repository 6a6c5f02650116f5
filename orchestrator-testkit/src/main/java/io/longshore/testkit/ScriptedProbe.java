package io.longshore.testkit;

import io.longshore.api.Backend;
import io.longshore.api.HealthProbe;
import io.longshore.api.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A health probe whose answer a test sets per port: pass (the default), fail, throw, answer
 * {@code null}, or hang (a stage that never completes, so the orchestrator's probe timeout
 * decides). It records every port it probed, in order. Use it to drive an orchestrator's
 * health checking on virtual time:
 *
 * <pre>{@code
 * ScriptedProbe probe = new ScriptedProbe();
 * Orchestrator orchestrator = Orchestrator.builder()...healthProbe(probe)...build().start();
 * probe.set(8001, ScriptedProbe.Answer.FAIL);   // the replica on 8001 turns unhealthy
 * clock.advance(Duration.ofSeconds(3));         // three failed probes: it is replaced
 * }</pre>
 *
 * Thread-safe: answers may be changed while probes run.
 */
public final class ScriptedProbe implements HealthProbe {

    /** What a probe of a port answers. */
    public enum Answer {
        /** A completed stage with a passing result ({@code "200"}). */
        PASS,
        /** A completed stage with a failing result ({@code "500"}). */
        FAIL,
        /** {@link #probe} throws an {@link IllegalStateException}, as a buggy probe would. */
        THROW,
        /** {@link #probe} returns {@code null} instead of a stage, as a buggy probe would. */
        NULL,
        /** A stage that never completes, as a probe of a hung replica without its own timeout. */
        HANG
    }

    private final Map<Integer, Answer> answers = new ConcurrentHashMap<>();
    private final List<Integer> probedPorts = new CopyOnWriteArrayList<>();
    private volatile Answer otherwise = Answer.PASS;

    /** A probe that passes every port until told otherwise. */
    public ScriptedProbe() {
    }

    /** From now on, probes of {@code port} answer {@code answer}. Returns this. */
    public ScriptedProbe set(int port, Answer answer) {
        answers.put(port, Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /** From now on, probes of ports without an answer of their own answer {@code answer} ({@link Answer#PASS} at first). */
    public ScriptedProbe otherwise(Answer answer) {
        this.otherwise = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /** The ports probed so far, in order, one entry per probe. */
    public List<Integer> probedPorts() {
        return List.copyOf(probedPorts);
    }

    /** How many times {@code port} was probed. */
    public long probesOf(int port) {
        return probedPorts.stream().filter(p -> p == port).count();
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend) {
        int port = backend.endpoint().port();
        probedPorts.add(port);
        return switch (answers.getOrDefault(port, otherwise)) {
            case PASS -> CompletableFuture.completedFuture(ProbeResult.pass("200"));
            case FAIL -> CompletableFuture.completedFuture(ProbeResult.fail("500"));
            case THROW -> throw new IllegalStateException("scripted probe bug");
            case NULL -> null;
            case HANG -> new CompletableFuture<>();
        };
    }

    @Override
    public String toString() {
        return "scripted";
    }
}
