package io.longshore.jetty.internal.policy;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Where the gateway's random numbers come from: a root generator seeded once from the source
 * the builder was given, split into one generator per event loop, so no generator is shared
 * between threads and a seeded source makes the gateway's choices repeatable. Thread-safe:
 * splitting is synchronized; each generator handed out belongs to its caller.
 */
public final class Randomness {
    private final SplittableRandom root;

    /** Seeds the root from {@code source}, which is read once, here, and never again. */
    public Randomness(RandomGenerator source) {
        this.root = new SplittableRandom(Objects.requireNonNull(source, "source").nextLong());
    }

    /** A generator of its own for one event loop; not thread-safe. */
    public synchronized RandomGenerator forLoop() {
        return root.split();
    }

    /** A generator for callers on many threads (the embedded handler's): thread-safe. */
    public RandomGenerator shared() {
        RandomGenerator own = forLoop();
        return new RandomGenerator() {
            @Override
            public synchronized long nextLong() {
                return own.nextLong();
            }
        };
    }
}
