package dev.todoke.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Durability on an embedded H2 file database kept with its default write delay. H2 then keeps commits in
 * memory and a background thread writes them to the file, as one chunk for everything changed since the
 * last one. {@link #barrier} writes the chunk at once instead. With {@code WRITE_DELAY=0}, the setting used
 * before, H2 wrote a chunk at every commit, and each chunk rewrites every page the commit touched up to
 * each map's root: the mail path's five commits cost about five such writes (ADR 0190).
 *
 * <p>The store is found on the first connection this sees ({@link #attach}): the database is the one
 * behind the application's data source. Until then, and for ever on any other database, it does nothing.
 * Thread-safe.
 */
final class H2Durability implements Durability {

    private static final Runnable NOTHING = () -> {};

    private final AtomicReference<MVStore> store = new AtomicReference<>();

    /** How deep this thread is in {@link #deferred} scopes. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * Remembers the file store behind this connection, if it is an embedded H2 database with a file (an
     * in-memory one survives nothing, a server's is the server's business).
     */
    void attach(Connection connection) throws SQLException {
        if (store.get() != null || !connection.isWrapperFor(JdbcConnection.class)) {
            return;
        }
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (session instanceof SessionLocal local) {
            MVStore mvStore = local.getDatabase().getStore().getMvStore();
            if (mvStore.getFileStore() != null) {
                store.compareAndSet(null, mvStore);
            }
        }
    }

    /** True while this thread is inside a {@link #deferred} scope. */
    boolean isDeferred() {
        return depth.get()[0] > 0;
    }

    @Override
    public void barrier() {
        MVStore mvStore = store.get();
        if (mvStore == null || mvStore.isClosed()) {
            return;
        }
        try {
            // writes what is not yet written and waits for it; concurrent callers queue on H2's store lock,
            // and those whose commits the chunk before theirs held find nothing left to write (-1)
            if (mvStore.commit() == -1) {
                // that chunk, or one H2's background thread started, may still be on its way to the file:
                // wait for it (a chunk this call wrote went after any earlier one, on H2's one writer thread)
                mvStore.executeFilestoreOperation(NOTHING);
            }
        } catch (MVStoreException e) {
            throw new DataAccessResourceFailureException("H2 could not write its file: " + e.getMessage(), e);
        }
    }

    @Override
    public Scope deferred() {
        int[] level = depth.get();
        level[0]++;
        return new Scope() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                if (--level[0] == 0) {
                    barrier();
                }
            }
        };
    }
}
