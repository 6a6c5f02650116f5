package io.longshore.examples.config;

import io.longshore.core.OrphanPolicy;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.seed.GatewayFlags;
import io.longshore.jetty.AccessLog;
import io.longshore.jetty.GatewayBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A config file, read and checked: one gateway with its admin API in front of one or more
 * services. Immutable.
 *
 * @param dataDir  where the stand-alone mode keeps its state, as the seed main's {@code --data-dir}:
 *                 the process replicas' records ({@code processes/}) and the embedded database ({@code acts-db/})
 * @param orphans  what becomes of process replicas when this JVM is killed
 * @param database the database every service gets in its environment, if any
 * @param gateway  the proxy's settings
 * @param admin    the admin API's settings
 * @param services the services, in file order
 */
public record LongshoreConfig(Path dataDir, OrphanPolicy orphans, Optional<Database> database,
                              GatewaySettings gateway, AdminSettings admin, List<ServiceSettings> services) {
    public LongshoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(orphans, "orphans");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(admin, "admin");
        services = List.copyOf(services);
    }

    /**
     * The acts service's shared database, handed to every service in {@code ACTS_DATABASE_URL},
     * {@code ACTS_DATABASE_USER} and {@code ACTS_DATABASE_PASSWORD}: the embedded H2 server
     * (empty {@code existing}) or an existing database.
     */
    public record Database(Optional<DatabaseSettings> existing) {
        public Database {
            Objects.requireNonNull(existing, "existing");
        }

        public boolean embedded() {
            return existing.isEmpty();
        }
    }

    /** Every key of {@code gateway:}; defaults are {@link io.longshore.jetty.Gateway}'s. */
    public record GatewaySettings(String host, int port, int ioThreads, Duration responseTimeout,
                                  Duration connectTimeout, Duration clientIdleTimeout, Duration shutdownTimeout,
                                  int maxConcurrentRequests, long maxRequestBodyBytes, double retryBudget,
                                  Protocols protocols) {
        public GatewaySettings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(protocols, "protocols");
        }

        GatewayBuilder applyTo(GatewayBuilder builder) {
            builder.host(host).port(port).ioThreads(ioThreads).responseTimeout(responseTimeout)
                    .connectTimeout(connectTimeout).clientIdleTimeout(clientIdleTimeout)
                    .shutdownTimeout(shutdownTimeout).maxConcurrentRequests(maxConcurrentRequests)
                    .maxRequestBodyBytes(maxRequestBodyBytes).retryBudget(retryBudget);
            return protocols.applyTo(builder);
        }
    }

    /**
     * The gateway's listeners and request handling beyond plain HTTP: TLS ({@code gateway.tls},
     * the seed main's {@code --tls-port --tls-cert --tls-key}), the access log ({@code gateway.accessLog}:
     * a file, or {@value GatewayFlags#STANDARD_OUTPUT} for standard output, in {@code format}), the
     * request-head timeout, the tunnels' idle timeout, the waiting line ({@code maxWaiting}, {@code maxWait}) and HTTP/2
     * ({@code http2}, the seed main's {@code --http2}).
     */
    public record Protocols(Optional<GatewayFlags.TlsFlags> tls, Optional<String> accessLog,
                            AccessLog.Format accessLogFormat, Duration requestHeadTimeout,
                            Duration tunnelIdleTimeout, int maxWaiting,
                            Duration maxWait, boolean http2) {
        public Protocols {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(accessLog, "accessLog");
            Objects.requireNonNull(accessLogFormat, "accessLogFormat");
            Objects.requireNonNull(requestHeadTimeout, "requestHeadTimeout");
            Objects.requireNonNull(tunnelIdleTimeout, "tunnelIdleTimeout");
            Objects.requireNonNull(maxWait, "maxWait");
        }

        GatewayBuilder applyTo(GatewayBuilder builder) {
            builder.requestHeadTimeout(requestHeadTimeout).tunnelIdleTimeout(tunnelIdleTimeout)
                    .maxWaiting(maxWaiting).maxWait(maxWait);
            if (http2) {
                builder.http2(true);
            }
            tls.ifPresent(t -> builder.tls(t.toTls())); // with the provider the file names
            accessLog.ifPresent(file -> builder.accessLog(GatewayFlags.STANDARD_OUTPUT.equals(file)
                    ? AccessLog.toStandardOutput(accessLogFormat) : AccessLog.toFile(Path.of(file), accessLogFormat)));
            return builder;
        }
    }

    /** Every key of {@code admin:}; {@code allowedHosts} are the Host names it answers to beyond loopback. */
    public record AdminSettings(boolean enabled, String host, int port, Optional<String> token,
                                List<String> allowedHosts) {
        public AdminSettings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(token, "token");
            allowedHosts = List.copyOf(allowedHosts);
        }

        /** Settings without extra host names, as before {@code allowedHosts} existed. */
        public AdminSettings(boolean enabled, String host, int port, Optional<String> token) {
            this(enabled, host, port, token, List.of());
        }

        GatewayBuilder applyTo(GatewayBuilder builder) {
            builder.adminEnabled(enabled).adminHost(host).adminPort(port)
                    .adminAllowedHosts(allowedHosts.toArray(String[]::new));
            token.ifPresent(builder::bearerToken);
            return builder;
        }
    }
}
