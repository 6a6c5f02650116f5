package io.longshore.jetty.internal.policy;

import io.longshore.jetty.internal.routing.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link WaitingRoom} of every route of a gateway, by route index, for both transports.
 * Immutable once built; thread-safe.
 */
public final class WaitingRooms {
    private final List<WaitingRoom> rooms;

    /** One room per route of {@code routes}, each a line of at most {@code maxWaiting} (0: none) waiting at most {@code maxWait}. */
    public WaitingRooms(RouteTable routes, int maxWaiting, Duration maxWait) {
        List<WaitingRoom> built = new ArrayList<>(routes.size());
        for (int i = 0; i < routes.size(); i++) {
            built.add(WaitingRoom.of(routes.route(i).router().get(), maxWaiting, maxWait));
        }
        this.rooms = List.copyOf(built);
    }

    public WaitingRoom room(int route) {
        return rooms.get(route);
    }

    /** Requests waiting in the rooms of the routes to {@code service}. */
    public int waiting(RouteTable routes, String service) {
        int waiting = 0;
        for (int i = 0; i < rooms.size(); i++) {
            if (routes.route(i).service().equals(service)) {
                waiting += rooms.get(i).waiting();
            }
        }
        return waiting;
    }
}
