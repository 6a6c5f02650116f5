package io.longshore.examples.acts;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The acts of a category on the embedded H2 server. */
class CategoryActsOnH2ServerTest extends CategoryActsContract {
    @RegisterExtension
    static final H2ServerFixture h2 = new H2ServerFixture();

    @Override
    DatabaseSettings database() {
        return h2.settings();
    }
}
