package io.longshore.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A runtime's user that dies for real, for {@link ContainerRuntimeContract}'s "a user dies
 * without closing its runtime" case: {@link #runThenKill} runs a main class in a child JVM with
 * this JVM's class path, waits until it has started its containers, then kills it with SIGKILL
 * (no shutdown hook, no {@code close()}, no {@code finally}), and returns the ids it reported.
 *
 * <p>The child's main starts its containers through its own runtime instance and then calls
 * {@link #reportAndWait(List)}, which prints {@code container <id>} per container and
 * {@value #READY}, and blocks until the kill. Stateless; thread-safe.
 */
public final class RuntimeUserJvm {
    /** The line a child prints once every container it started is reported. */
    public static final String READY = "ready";
    private static final String CONTAINER = "container ";

    private RuntimeUserJvm() {
    }

    /**
     * Runs {@code main} with {@code args} in a child JVM, collects the ids it reports, SIGKILLs it
     * and waits until it is gone. Fails (naming the child's output) when it does not report
     * {@value #READY} within {@code timeout}.
     */
    public static List<String> runThenKill(Class<?> main, List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process user;
        try {
            user = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + main.getName() + " in a child JVM", e);
        }
        List<String> output = new ArrayList<>();
        CompletableFuture<List<String>> ids = CompletableFuture.supplyAsync(() -> readIds(user, output));
        try {
            return ids.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(main.getSimpleName() + " did not report its containers within " + timeout
                    + "; its output: " + snapshot(output), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            kill(user);
        }
    }

    private static List<String> readIds(Process user, List<String> output) {
        List<String> ids = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(user.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith(CONTAINER)) {
                    ids.add(line.substring(CONTAINER.length()).trim());
                } else if (line.equals(READY)) {
                    return ids;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the child's output", e);
        }
        throw new IllegalStateException("the child ended before it was ready");
    }

    private static List<String> snapshot(List<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private static void kill(Process user) {
        user.destroyForcibly();
        try {
            if (!user.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child JVM " + user.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For the child's main: reports {@code ids}, then blocks until the JVM is killed. */
    public static void reportAndWait(List<String> ids) throws InterruptedException {
        for (String id : ids) {
            System.out.println(CONTAINER + id);
        }
        System.out.println(READY);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
