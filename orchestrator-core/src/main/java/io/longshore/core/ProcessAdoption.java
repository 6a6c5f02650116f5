package io.longshore.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a {@link ProcessRuntime} does with the records in its state directory that it does
 * not hold yet. Skipped: records held by a runtime of a JVM that still runs (this one included), so
 * two live orchestrators sharing a directory never take each other's replicas. Deleted: records
 * whose process is gone (or whose pid now belongs to another process). Of the rest, those carrying
 * the listed labels are claimed for adoption, or, under {@link OrphanPolicy#DIE_WITH_PARENT}, stopped
 * (a survivor of a watchdog that was killed together with its JVM). Stateless apart from its
 * settings; thread-safe.
 */
final class ProcessAdoption {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final ProcessRecords records;
    private final ProcessIdentity self;
    private final OrphanPolicy orphans;
    private final Duration stopGrace;

    ProcessAdoption(ProcessRecords records, ProcessIdentity self, OrphanPolicy orphans, Duration stopGrace) {
        this.records = records;
        this.self = self;
        this.orphans = orphans;
        this.stopGrace = stopGrace;
    }

    /** The records to adopt now: live, unheld, carrying all of {@code labels}, not yet {@code known}. */
    List<ProcessRecord> claimable(Map<String, String> labels, Predicate<String> known) {
        List<ProcessRecord> claimable = new ArrayList<>();
        for (ProcessRecord record : records.readAll()) {
            if (known.test(record.id()) || heldByALiveJvm(record)) {
                continue;
            }
            if (!record.process().isRunning()) {
                LOG.info("forgetting {} on {}: its process is gone", record.id(), record.endpoint());
                records.delete(record.id());
            } else if (record.matches(labels)) {
                if (orphans == OrphanPolicy.DIE_WITH_PARENT) {
                    stopSurvivor(record);
                } else {
                    claimable.add(record);
                }
            }
        }
        return claimable;
    }

    private boolean heldByALiveJvm(ProcessRecord record) {
        return record.owner().map(owner -> owner.equals(self) || owner.isRunning()).orElse(false);
    }

    private void stopSurvivor(ProcessRecord record) {
        LOG.warn("{} on {} outlived the JVM that started it; stopping it (orphans: DIE_WITH_PARENT)",
                record.id(), record.endpoint());
        ProcessHandle.of(record.process().pid()).filter(handle -> record.process().isRunning())
                .ifPresent(handle -> ProcessTree.terminate(List.of(handle), stopGrace));
        ProcessTree.killGroup(record.process().pid());
        records.delete(record.id());
    }
}
