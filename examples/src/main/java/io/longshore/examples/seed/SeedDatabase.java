package io.longshore.examples.seed;

import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.acts.H2DatabaseServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The database the seed's replicas share, started before the first replica and closed after
 * the last: the embedded H2 server with its files in {@code DATA_DIR/}{@value #DIRECTORY}, or
 * an existing database ({@code --database}) that the seed main only hands on. Thread-safe;
 * {@code close()} is idempotent.
 */
final class SeedDatabase implements AutoCloseable {
    /** The embedded database's directory under the data directory. */
    static final String DIRECTORY = "acts-db";

    private final DatabaseSettings settings;
    private final Optional<H2DatabaseServer> server;

    private SeedDatabase(DatabaseSettings settings, Optional<H2DatabaseServer> server) {
        this.settings = settings;
        this.server = server;
    }

    /** The database {@code options} ask for, started when it is the embedded one. */
    static SeedDatabase open(SeedOptions options) {
        if (options.database().isPresent()) {
            return new SeedDatabase(options.database().get(), Optional.empty());
        }
        Path directory = options.dataDir().resolve(DIRECTORY);
        try {
            H2DatabaseServer server = H2DatabaseServer.start(directory);
            return new SeedDatabase(server.settings(), Optional.of(server));
        } catch (IOException e) {
            throw new UncheckedIOException("the acts database could not start: " + e.getMessage(), e);
        }
    }

    /** What every replica gets in its environment. */
    DatabaseSettings settings() {
        return settings;
    }

    /** One line for the start-up log. */
    String description() {
        return server.map(h2 -> "an H2 server on 127.0.0.1:" + h2.port() + ", files in " + h2.directory())
                .orElseGet(() -> "the database at " + settings.describe());
    }

    @Override
    public void close() {
        server.ifPresent(H2DatabaseServer::close);
    }
}
