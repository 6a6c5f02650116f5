package io.longshore.examples.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The ports a config file hands out (the gateway's, the admin API's, each service's replica
 * range with a rollout's surge ports), each with the key and node that claimed it; {@link #check()} reports every claim that
 * overlaps an earlier one, at the later one's line. Not thread-safe; one read.
 */
final class PortClaims {
    private record Claim(String key, int from, int to, String why, ConfigNode where) {
        String ports() {
            return (from == to ? "port " + from : "ports " + from + ".." + to) + (why.isEmpty() ? "" : " (" + why + ")");
        }
    }

    private final List<Claim> claims = new ArrayList<>();

    /** {@code key} takes ports {@code from..to}; {@code where} is the node to blame on a clash. */
    void claim(String key, int from, int to, ConfigNode where) {
        claim(key, from, to, "", where);
    }

    /** As {@link #claim(String, int, int, ConfigNode)}, saying {@code why} the range is that long. */
    void claim(String key, int from, int to, String why, ConfigNode where) {
        claims.add(new Claim(key, from, to, why, where));
    }

    void check() {
        for (int i = 0; i < claims.size(); i++) {
            Claim later = claims.get(i);
            for (int j = 0; j < i; j++) {
                Claim earlier = claims.get(j);
                if (later.from() <= earlier.to() && earlier.from() <= later.to()) {
                    String clash = later.from() == later.to() ? " is also used by " : " overlap those of ";
                    later.where().problem(later.ports() + clash + earlier.key() + " (" + earlier.ports()
                            + ", line " + earlier.where().line() + "): a port is used twice");
                }
            }
        }
    }
}
