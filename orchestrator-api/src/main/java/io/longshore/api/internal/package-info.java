/**
 * Implementations of the built-in strategies, probes and policies behind the static
 * factories of the SPI interfaces. Not public surface: use the factories.
 */
package io.longshore.api.internal;
