/**
 * The Docker container runtime for Longshore, built on docker-java (automatic modules).
 */
module io.longshore.docker {
    requires transitive io.longshore.api;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.zerodep;
    requires org.slf4j;

    exports io.longshore.docker;
}
