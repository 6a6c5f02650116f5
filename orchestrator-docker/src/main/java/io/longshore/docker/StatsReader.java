package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ResourceStats;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Reads one stats sample per call ({@code stream=false}) and turns it into {@link ResourceStats}.
 * CPU % comes from the sample's own {@code precpu_stats} delta; when the engine leaves that
 * empty, from the delta to the previous sample this reader kept for the container (the first
 * reading of a container then reports 0). Memory is usage minus page cache, as {@code docker
 * stats} shows it; the limit is 0 when the container has none (the engine reports the host's
 * memory then). Thread-safe.
 */
final class StatsReader {
    private final DockerClient client;
    private final Duration timeout;
    private final LongSupplier hostMemory;
    private final Map<String, CpuSample> previous = new ConcurrentHashMap<>();

    StatsReader(DockerClient client, Duration timeout, LongSupplier hostMemory) {
        this.client = client;
        this.timeout = timeout;
        this.hostMemory = hostMemory;
    }

    Optional<ResourceStats> read(String containerId) {
        Statistics stats;
        try {
            stats = sample(containerId);
        } catch (NotFoundException e) {
            previous.remove(containerId);
            return Optional.empty();
        }
        if (stats == null || stats.getCpuStats() == null || stats.getMemoryStats() == null) {
            return Optional.empty();
        }
        CpuSample now = CpuSample.of(stats.getCpuStats());
        CpuSample before = CpuSample.of(stats.getPreCpuStats());
        CpuSample kept = now == null ? null : previous.put(containerId, now);
        double cpu = now == null ? 0 : now.percentSince(before != null ? before : kept);
        return Optional.of(new ResourceStats(cpu, memoryUsed(stats.getMemoryStats()), memoryLimit(stats.getMemoryStats())));
    }

    /** Forgets what it kept for a container that is gone. */
    void forget(String containerId) {
        previous.remove(containerId);
    }

    private Statistics sample(String containerId) {
        OneSample callback = new OneSample();
        try (OneSample running = client.statsCmd(containerId).withNoStream(true).exec(callback)) {
            if (!running.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ContainerRuntimeException(containerId, "no stats within " + timeout, null);
            }
            Throwable error = running.error.get();
            if (error instanceof NotFoundException notFound) {
                throw notFound;
            }
            if (error != null && running.first.get() == null) {
                throw new ContainerRuntimeException(containerId, "cannot read stats: " + error.getMessage(), error);
            }
            return running.first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException(containerId, "interrupted while reading stats", e);
        } catch (IOException e) {
            throw new ContainerRuntimeException(containerId, "cannot close the stats stream", e);
        }
    }

    /** Keeps the first sample or the error, whichever comes first. */
    private static final class OneSample extends ResultCallback.Adapter<Statistics> {
        private final AtomicReference<Statistics> first = new AtomicReference<>();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void onNext(Statistics statistics) {
            first.compareAndSet(null, statistics);
            done.countDown();
        }

        @Override
        public void onError(Throwable throwable) {
            error.compareAndSet(null, throwable);
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }

    private static long memoryUsed(MemoryStatsConfig memory) {
        long usage = memory.getUsage() == null ? 0 : memory.getUsage();
        StatsConfig detail = memory.getStats();
        long cache = 0;
        if (detail != null) {
            Long inactiveFile = detail.getTotalInactiveFile() != null ? detail.getTotalInactiveFile() : detail.getInactiveFile();
            cache = inactiveFile != null ? inactiveFile : detail.getCache() == null ? 0 : detail.getCache();
        }
        return Math.max(0, usage - cache);
    }

    private long memoryLimit(MemoryStatsConfig memory) {
        long limit = memory.getLimit() == null ? 0 : memory.getLimit();
        long host = hostMemory.getAsLong();
        return limit <= 0 || (host > 0 && limit >= host) ? 0 : limit;
    }

    /** Cumulative CPU time of a container and of the whole host, in nanoseconds. */
    record CpuSample(long containerNanos, long systemNanos, long onlineCpus) {
        static CpuSample of(CpuStatsConfig cpu) {
            if (cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null
                    || cpu.getSystemCpuUsage() == null || cpu.getSystemCpuUsage() == 0) {
                return null;
            }
            long online = cpu.getOnlineCpus() != null && cpu.getOnlineCpus() > 0 ? cpu.getOnlineCpus()
                    : cpu.getCpuUsage().getPercpuUsage() == null ? 1 : Math.max(1, cpu.getCpuUsage().getPercpuUsage().size());
            return new CpuSample(cpu.getCpuUsage().getTotalUsage(), cpu.getSystemCpuUsage(), online);
        }

        /** Percent of one core used between {@code earlier} and this sample; 0 without an earlier one. */
        double percentSince(CpuSample earlier) {
            if (earlier == null) {
                return 0;
            }
            long container = containerNanos - earlier.containerNanos;
            long system = systemNanos - earlier.systemNanos;
            if (container <= 0 || system <= 0) {
                return 0;
            }
            return (double) container / system * onlineCpus * 100.0;
        }
    }
}
