/**
 * The acts service: the seed's workload, a small SelfieLessActs-like microservice on the JDK's
 * HTTP server. It keeps no data of its own: categories and acts live in one database that every
 * replica shares ({@link io.longshore.examples.acts.DatabaseSettings}, from the environment),
 * an H2 server ({@link io.longshore.examples.acts.H2DatabaseServer}) or PostgreSQL. It has the
 * endpoints the orchestrator and the seed's evaluation use: {@code /api/v1/_health} (an
 * insert, a select and a delete on rows of its own), {@code /api/v1/_crash},
 * {@code /api/v1/_delay} (every API response from then on comes that many milliseconds late) and
 * {@code /api/v1/_count}. Run it with {@link io.longshore.examples.acts.ActsMain}.
 */
package io.longshore.examples.acts;
