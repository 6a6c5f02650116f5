/**
 * Runnable examples of Longshore: the seed document's system end to end. {@code acts} is the
 * workload (a small SelfieLessActs-like service), {@code seed} the runnable main that runs it
 * as replicas behind the gateway, and {@code embed} the embedding sample the README quotes.
 * {@link io.longshore.examples.Foreground} is how the runnable mains run their app until the JVM
 * is stopped.
 */
package io.longshore.examples;
