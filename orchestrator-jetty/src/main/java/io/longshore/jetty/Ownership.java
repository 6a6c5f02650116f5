package io.longshore.jetty;

/** Who closes an orchestrator routed through a {@link Gateway}. */
public enum Ownership {
    /** The host keeps it: the gateway neither starts nor closes it. */
    BORROWED,
    /** The gateway owns it: {@link Gateway#start()} starts it and {@link Gateway#close()} closes it. */
    OWNED
}
