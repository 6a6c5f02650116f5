/**
 * The stand-alone mode's config file: {@code java -jar longshore-seed.jar --config longshore.yaml}
 * runs one gateway in front of the services the file lists (each a path prefix, a command or an
 * image, its replicas, probe, strategy, autoscaler and timeouts). {@link
 * io.longshore.examples.config.ConfigReader} reads and validates a file into a {@link
 * io.longshore.examples.config.LongshoreConfig}, naming the line and key of every problem;
 * {@link io.longshore.examples.config.ConfigCatalog} maps strategy and autoscaler names to the
 * library's built-ins (register more there); {@link io.longshore.examples.config.ConfigApp}
 * starts what a config describes.
 */
package io.longshore.examples.config;
