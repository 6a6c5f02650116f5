package io.longshore.examples.acts;

/** The acts service on PostgreSQL (the cluster {@code .ci/run} starts; skipped without one). */
class ActsServerOnPostgresTest extends ActsServerContract {

    @Override
    DatabaseSettings database() {
        return TestDatabases.postgres();
    }
}
