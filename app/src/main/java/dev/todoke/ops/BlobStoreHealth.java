package dev.todoke.ops;

import dev.todoke.storage.BlobNotFoundException;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the blob store: asks for the size of a key that never exists (a stat on the filesystem,
 * a HEAD request to S3). "Not found" means the store answered: up; any other storage failure: down.
 * Nothing is written. Thread-safe.
 */
final class BlobStoreHealth implements HealthIndicator {

    /** A well-formed key that the store never generates (generated keys are random base64url). */
    static final String PROBE_KEY = "todoke-health-probe-00";

    private final BlobStore store;

    BlobStoreHealth(BlobStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        try {
            store.size(PROBE_KEY);
            return Health.up().build();
        } catch (BlobNotFoundException expected) {
            return Health.up().build();
        } catch (StorageException e) {
            return Health.down()
                    .withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
