/**
 * The acts service: the seed's workload, a small SelfieLessActs-like microservice on the JDK's
 * HTTP server with an embedded in-memory H2 database. It stores categories and acts, and has
 * the endpoints the orchestrator and the seed's evaluation use: {@code /api/v1/_health} (an
 * insert, a select and a delete on the database), {@code /api/v1/_crash} and
 * {@code /api/v1/_count}. Run it with {@link io.longshore.examples.acts.ActsMain}.
 */
package io.longshore.examples.acts;
