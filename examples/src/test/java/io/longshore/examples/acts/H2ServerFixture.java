package io.longshore.examples.acts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The acts service's H2 database server for the tests of one class: started in a directory of
 * its own before the class's first test, stopped after its last, when its directory is deleted.
 * A test class holds it in a static field annotated {@code @RegisterExtension}. Not thread-safe:
 * the tests of a class run one at a time.
 */
final class H2ServerFixture implements BeforeAllCallback, AfterAllCallback {
    private Path root;
    private H2DatabaseServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("acts-h2-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path file : files) {
            Files.delete(file);
        }
    }

    /** The running server. */
    H2DatabaseServer server() {
        return server;
    }

    /** How the acts service reaches the running server. */
    DatabaseSettings settings() {
        return server.settings();
    }

    /** The database's directory, which outlives a {@link #stop()}. */
    Path directory() {
        return root.resolve("acts-db");
    }

    /** Stops the server, as an outage would. */
    void stop() {
        server.close();
    }

    /** Starts the server on its directory: the first time, or again after {@link #stop()}. */
    void start() throws IOException {
        server = H2DatabaseServer.start(directory());
    }
}
