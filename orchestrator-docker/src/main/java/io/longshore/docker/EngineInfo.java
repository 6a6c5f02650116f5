package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the runtime asks the engine about itself: its memory (cached) and its clock. Thread-safe. */
final class EngineInfo {
    private static final Logger LOG = LoggerFactory.getLogger(EngineInfo.class);

    private final DockerClient client;
    private volatile long hostMemory = -1;

    EngineInfo(DockerClient client) {
        this.client = client;
    }

    /** The engine host's memory in bytes, 0 when unknown; asked once, then cached. */
    long hostMemory() {
        long known = hostMemory;
        if (known < 0) {
            try {
                Long total = client.infoCmd().exec().getMemTotal();
                known = total == null ? 0 : total;
            } catch (RuntimeException e) {
                LOG.debug("cannot read the engine's memory", e);
                known = 0;
            }
            hostMemory = known;
        }
        return known;
    }

    /** The engine's own clock, so event subscriptions start without a gap; empty if it does not say. */
    Optional<Instant> now() {
        try {
            String time = client.infoCmd().exec().getSystemTime();
            return time == null ? Optional.empty() : Optional.of(OffsetDateTime.parse(time).toInstant());
        } catch (RuntimeException e) {
            LOG.debug("cannot read the engine's time; subscribing to live events only", e);
            return Optional.empty();
        }
    }
}
