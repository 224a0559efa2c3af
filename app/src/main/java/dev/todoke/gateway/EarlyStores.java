package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.smtp.SpoolWatch;
import dev.todoke.storage.BlobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The early stores of the transactions in progress, by spool file (ADR 0198): {@link #watch} starts one
 * for a large message that will likely have its attachments stored (an outbound message with an external
 * recipient), {@link #find} gives it to the transaction's pipeline, and it leaves when closed. At most
 * {@link #limit} run at once (half the cores): storing during DATA only pays where a core would otherwise
 * wait, and costs a little CPU (the spool read once more) where every core is busy. Thread-safe.
 */
final class EarlyStores {

    private final BlobStore store;
    private final TodokeProperties todoke;
    private final boolean enabled;
    private final Map<Path, EarlyStore> running = new ConcurrentHashMap<>();
    private final Counter adopted;
    private final Counter unused;
    private final int limit;
    private final AttemptCleanup cleanup;

    EarlyStores(
            BlobStore store, TodokeProperties todoke, boolean enabled, MeterRegistry registry, AttemptCleanup cleanup) {
        this(
                store,
                todoke,
                enabled,
                registry,
                cleanup,
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** As the other, with at most {@code limit} early stores at once; {@code cleanup} records what it cannot delete. */
    EarlyStores(
            BlobStore store,
            TodokeProperties todoke,
            boolean enabled,
            MeterRegistry registry,
            AttemptCleanup cleanup,
            int limit) {
        this.limit = limit;
        this.cleanup = cleanup;
        this.store = store;
        this.todoke = todoke;
        this.enabled = enabled;
        this.adopted = counter(registry, "adopted");
        this.unused = counter(registry, "unused");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("todoke.gateway.early.blobs")
                .description("Attachments stored while DATA arrived: adopted by the store step, or deleted unused")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** None ever: every attachment is stored by {@link StoreStep} after DATA. */
    static EarlyStores off() {
        return new EarlyStores(null, null, false, new SimpleMeterRegistry(), null);
    }

    /**
     * A watch that stores the spool's large base64 bodies as they arrive, or {@link SpoolWatch#NONE} for
     * mail that the gateway passes unchanged (inbound, or only internal recipients) and while {@link
     * #limit} others run.
     */
    synchronized SpoolWatch watch(String sender, List<String> recipients, Path spool) {
        if (!enabled
                || running.size() >= limit
                || !(sender.isEmpty() || todoke.isInternalDomain(sender))
                || recipients.stream().allMatch(todoke::isInternal)) {
            return SpoolWatch.NONE;
        }
        EarlyStore early = new EarlyStore(spool, store, this::closed);
        running.put(spool, early);
        return early;
    }

    private void closed(EarlyStore.Closed closed) {
        synchronized (this) {
            running.remove(closed.early().spool(), closed.early());
        }
        adopted.increment(closed.adopted());
        unused.increment(closed.unused());
        cleanup.orphaned(closed.undeleted());
    }

    /** The early store of the transaction whose spool this is, or null. */
    EarlyStore find(Path spool) {
        return running.get(spool);
    }

    /** How many are running (for tests). */
    int running() {
        return running.size();
    }
}
