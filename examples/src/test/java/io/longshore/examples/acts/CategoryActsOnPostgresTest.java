package io.longshore.examples.acts;

/** The acts of a category on PostgreSQL (the cluster {@code .ci/run} starts; skipped without one). */
class CategoryActsOnPostgresTest extends CategoryActsContract {

    @Override
    DatabaseSettings database() {
        return TestDatabases.postgres();
    }
}
