package dev.todoke.database;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import org.h2.mvstore.FileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an H2 file store write its chunks on the thread that stores them (a {@link Durability#barrier},
 * or H2's background writer) instead of handing each chunk to its two single-thread executors
 * ({@code H2-serialization}, then {@code H2-save}) and waiting for both. H2 runs a store inline whenever
 * those executors are absent (as with {@code WRITE_DELAY=0}) and falls back to inline when they reject a
 * task, so taking them out is a state H2 itself handles; only the way to reach the two private fields
 * is not public API. If H2 renames them, this logs a warning and changes nothing (ADR 0190, amended).
 *
 * <p>Why: every barrier waited for two hand-offs between threads, each a park and an unpark; behind
 * Postfix that was about a quarter of the barrier's CPU and more than the chunk's serialization on a
 * 2-core virtual machine, while the hand-offs buy no overlap (the barrier waits for the chunk anyway).
 */
final class InlineChunkWrites {

    private static final Logger log = LoggerFactory.getLogger(InlineChunkWrites.class);

    private static final List<String> EXECUTORS = List.of("serializationExecutor", "bufferSaveExecutor");

    private InlineChunkWrites() {}

    /** Takes the executors out and shuts them down (tasks already queued still run); true when it did. */
    static boolean apply(FileStore<?> store) {
        List<ThreadPoolExecutor> removed = new ArrayList<>();
        try {
            for (String name : EXECUTORS) {
                Field field = FileStore.class.getDeclaredField(name);
                field.setAccessible(true);
                if (field.get(store) instanceof ThreadPoolExecutor executor) {
                    removed.add(executor);
                }
                field.set(store, null);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("H2 keeps writing its chunks on its own threads (this H2 version differs): {}", e.toString());
            return false;
        } finally {
            // a store that read a field before it was cleared gets a rejection from here on, and H2 then
            // runs it inline
            removed.forEach(ThreadPoolExecutor::shutdown);
        }
        return true;
    }
}
