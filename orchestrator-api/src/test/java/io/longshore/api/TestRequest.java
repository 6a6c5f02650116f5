package io.longshore.api;

import java.util.Map;

/** A request with the headers and client address a test gives it. Immutable. */
record TestRequest(String path, Map<String, String> headers, String clientAddress) implements RouteRequest {

    static TestRequest withHeader(String name, String value) {
        return new TestRequest("/", Map.of(name, value), null);
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String header(String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
