/**
 * How a host application embeds Longshore: {@link io.longshore.examples.embed.EmbeddingExample}
 * runs a service as autoscaled, health-checked local processes behind the gateway in a dozen
 * lines. The README quotes it; the build compiles it, so the quote cannot go stale.
 */
package io.longshore.examples.embed;
