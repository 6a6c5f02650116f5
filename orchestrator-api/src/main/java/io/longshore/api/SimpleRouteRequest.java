package io.longshore.api;

import java.util.Objects;

/** A method and a path, nothing more. Immutable. */
record SimpleRouteRequest(String method, String path) implements RouteRequest {
    SimpleRouteRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String header(String name) {
        return null;
    }
}
