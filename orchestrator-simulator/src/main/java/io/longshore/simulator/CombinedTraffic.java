package io.longshore.simulator;

/** Two shapes at once; their offered loads add up. Immutable. */
record CombinedTraffic(Traffic first, Traffic second) implements Traffic {

    @Override
    public void drive(Arrivals arrivals) {
        first.drive(arrivals);
        second.drive(arrivals);
    }

    @Override
    public double offeredConcurrency(double seconds, double meanServiceSeconds) {
        return first.offeredConcurrency(seconds, meanServiceSeconds)
                + second.offeredConcurrency(seconds, meanServiceSeconds);
    }

    @Override
    public String toString() {
        return first + " + " + second;
    }
}
