package io.longshore.examples.acts;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The acts of a category on the embedded H2 server. */
class CategoryActsOnH2ServerTest extends CategoryActsContract {
    @TempDir
    static Path dir;
    private static H2DatabaseServer h2;

    @BeforeAll
    static void startTheServer() throws IOException {
        h2 = H2DatabaseServer.start(dir.resolve("acts-db"));
    }

    @AfterAll
    static void stopTheServer() {
        h2.close();
    }

    @Override
    DatabaseSettings database() {
        return h2.settings();
    }
}
