package io.longshore.simulator;

/** One request as a modelled replica sees it: it reports the outcome at the virtual time it happens. */
interface Job {

    /** The replica answered with {@code status}. */
    void answered(int status);

    /** The replica went away with the request unanswered. */
    void broken();
}
