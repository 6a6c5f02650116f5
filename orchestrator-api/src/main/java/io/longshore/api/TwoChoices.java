package io.longshore.api;

import java.util.random.RandomGenerator;

/**
 * Two distinct random candidate positions, none of them the excluded one: the draw of every
 * power-of-two-choices strategy, packed into one long so that it allocates nothing. Stateless.
 */
final class TwoChoices {
    /** No position is excluded. */
    static final int NO_EXCLUSION = -1;

    private TwoChoices() {
    }

    /** How many positions of {@code size} may be drawn when {@code excluded} may not. */
    static int available(int size, int excluded) {
        return excluded >= 0 && excluded < size ? size - 1 : size;
    }

    /**
     * Two distinct positions in {@code 0..size-1} other than {@code excluded}, uniformly drawn;
     * needs {@link #available} &gt;= 2. Read them with {@link #first} and {@link #second}.
     */
    static long draw(RandomGenerator random, int size, int excluded) {
        int available = available(size, excluded);
        int a = random.nextInt(available);
        int b = random.nextInt(available - 1);
        if (b >= a) {
            b++;
        }
        return ((long) skip(a, size, excluded) << 32) | skip(b, size, excluded);
    }

    /** The only position left when {@link #available} is 1. */
    static int onlyOther(int size, int excluded) {
        return excluded == 0 ? 1 : 0;
    }

    static int first(long draw) {
        return (int) (draw >>> 32);
    }

    static int second(long draw) {
        return (int) draw;
    }

    private static int skip(int slot, int size, int excluded) {
        return excluded >= 0 && excluded < size && slot >= excluded ? slot + 1 : slot;
    }
}
