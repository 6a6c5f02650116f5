package io.longshore.api;

import java.util.Arrays;
import java.util.List;

/**
 * The consistent-hash ring of one candidate set: {@link #POINTS_PER_WEIGHT} points per unit of
 * each candidate's {@link Backend#weight()}, placed by hashing its endpoint, so a replacement on
 * the same endpoint gets the same points (Ketama, Envoy's ring hash). Points are sorted by their
 * 43-bit position; a table of buckets over the position range finds a key's first point at or
 * after it in constant time on average. Derived again only when the set of endpoints or their
 * weights change, not when the router merely hands a new list (a slow-start step). Immutable.
 */
final class HashRing {
    /** Points per unit of weight, as Ketama places them. */
    static final int POINTS_PER_WEIGHT = 160;
    /** The most points a ring holds; weights are scaled down to fit. */
    static final int MAX_POINTS = 1 << 20;
    private static final int OWNER_BITS = 20;
    private static final long OWNER_MASK = (1L << OWNER_BITS) - 1;
    /** Positions take the bits above the owner's, short of the sign bit, so packed points sort by position. */
    private static final int POSITION_BITS = 63 - OWNER_BITS;

    private final Endpoint[] endpoints;
    private final int[] weights;
    private final long[] positions;
    private final int[] owners;
    private final int[] buckets;
    private final int bucketShift;
    private final double totalWeight;

    private HashRing(Endpoint[] endpoints, int[] weights, long[] positions, int[] owners) {
        this.endpoints = endpoints;
        this.weights = weights;
        this.positions = positions;
        this.owners = owners;
        int bucketBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, positions.length - 1)));
        this.bucketShift = POSITION_BITS - bucketBits;
        this.buckets = new int[1 << bucketBits];
        for (int b = 0, p = 0; b < buckets.length; b++) {
            long start = (long) b << bucketShift;
            while (p < positions.length && positions[p] < start) {
                p++;
            }
            buckets[b] = p;
        }
        double sum = 0;
        for (int weight : weights) {
            sum += weight;
        }
        this.totalWeight = sum;
    }

    /** The ring of {@code candidates}: {@code previous} again when they have its endpoints and weights. */
    static HashRing of(HashRing previous, List<Backend> candidates) {
        int n = candidates.size();
        if (n > OWNER_MASK + 1) {
            throw new IllegalStateException("consistent hashing takes at most " + (OWNER_MASK + 1) + " candidates, got " + n);
        }
        Endpoint[] endpoints = new Endpoint[n];
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            endpoints[i] = candidates.get(i).endpoint();
            weights[i] = Math.max(1, candidates.get(i).weight());
        }
        if (previous != null && Arrays.equals(previous.endpoints, endpoints) && Arrays.equals(previous.weights, weights)) {
            return previous;
        }
        return new HashRing(endpoints, weights, points(endpoints, weights));
    }

    private HashRing(Endpoint[] endpoints, int[] weights, long[] packed) {
        this(endpoints, weights, positionsOf(packed), ownersOf(packed));
    }

    /** Every point as its position (bits 20 to 62) and its owner's index (low 20 bits), sorted. */
    private static long[] points(Endpoint[] endpoints, int[] weights) {
        long total = 0;
        for (int weight : weights) {
            total += (long) weight * POINTS_PER_WEIGHT;
        }
        double scale = Math.min(1.0, MAX_POINTS / (double) Math.max(1, total));
        int count = 0;
        int[] perOwner = new int[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            perOwner[i] = (int) Math.max(1, Math.round(weights[i] * POINTS_PER_WEIGHT * scale));
            count += perOwner[i];
        }
        long[] packed = new long[count];
        int next = 0;
        for (int i = 0; i < endpoints.length; i++) {
            long seed = KeyHash.of(endpoints[i].toString());
            for (int k = 1; k <= perOwner[i]; k++) {
                long position = KeyHash.mix(seed + k * KeyHash.GOLDEN) >>> (64 - POSITION_BITS);
                packed[next++] = (position << OWNER_BITS) | i;
            }
        }
        Arrays.sort(packed);
        return packed;
    }

    private static long[] positionsOf(long[] packed) {
        long[] positions = new long[packed.length];
        for (int i = 0; i < packed.length; i++) {
            positions[i] = packed[i] >>> OWNER_BITS;
        }
        return positions;
    }

    private static int[] ownersOf(long[] packed) {
        int[] owners = new int[packed.length];
        for (int i = 0; i < packed.length; i++) {
            owners[i] = (int) (packed[i] & OWNER_MASK);
        }
        return owners;
    }

    /** The index of the first point at or after {@code hash}'s position, wrapping to the first point. */
    int firstPoint(long hash) {
        long position = hash >>> (64 - POSITION_BITS);
        int p = buckets[(int) (position >>> bucketShift)];
        while (p < positions.length && positions[p] < position) {
            p++;
        }
        return p == positions.length ? 0 : p;
    }

    /** The points on the ring. */
    int size() {
        return positions.length;
    }

    /** The candidate owning point {@code point} (taken modulo the ring's size). */
    int owner(int point) {
        return owners[point >= positions.length ? point % positions.length : point];
    }

    /** Candidate {@code i}'s share of the weight, in (0, 1]. */
    double share(int i) {
        return weights[i] / totalWeight;
    }
}
