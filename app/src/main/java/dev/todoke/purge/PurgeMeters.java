package dev.todoke.purge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The purger's meters (docs/observability.md): {@code todoke.purge.runs}, {@code todoke.purge.messages}
 * by {@code reason} (expired, abandoned, revoked), {@code todoke.purge.orphans}, {@code
 * todoke.purge.blobs.deleted} and {@code todoke.purge.failures}. Thread-safe.
 */
final class PurgeMeters {

    private final Counter runs;
    private final Counter expired;
    private final Counter abandoned;
    private final Counter revoked;
    private final Counter orphans;
    private final Counter blobsDeleted;
    private final Counter failures;

    PurgeMeters(MeterRegistry registry) {
        this.runs = Counter.builder("todoke.purge.runs")
                .description("Purge runs on this replica")
                .register(registry);
        this.expired = messages(registry, "expired");
        this.abandoned = messages(registry, "abandoned");
        this.revoked = messages(registry, "revoked");
        this.orphans = Counter.builder("todoke.purge.orphans")
                .description("Orphan blobs of failed attempts cleared")
                .register(registry);
        this.blobsDeleted = Counter.builder("todoke.purge.blobs.deleted")
                .description("Blobs deleted from the store")
                .register(registry);
        this.failures = Counter.builder("todoke.purge.failures")
                .description("Blobs or runs that failed and are left for the next run")
                .register(registry);
    }

    void record(Purger.Report report) {
        runs.increment();
        expired.increment(report.expired());
        abandoned.increment(report.abandoned());
        revoked.increment(report.revoked());
        orphans.increment(report.orphans());
        blobsDeleted.increment(report.blobsDeleted());
        failures.increment(report.failures());
    }

    private static Counter messages(MeterRegistry registry, String reason) {
        return Counter.builder("todoke.purge.messages")
                .description("Messages whose files were purged")
                .tag("reason", reason)
                .register(registry);
    }
}
