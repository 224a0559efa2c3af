package dev.todoke.database;

/**
 * When a commit survives a kill of the process. On PostgreSQL, production's database, a commit is durable
 * when it returns, and this does nothing. The embedded H2 (the default for trying Todoke out) writes its
 * commits to its file in the background ({@link H2Durability}); there a connection closed by any thread
 * waits until what it committed is in the file, except on a thread inside {@link #deferred}, where the
 * caller says when it must be ({@link #barrier}). The mail path runs deferred: it needs its writes durable
 * only before something leaves for the next hop or is deleted, and before it answers the upstream MTA,
 * which is four writes of H2's file per mail instead of one per commit
 * (docs/adr/0190-h2-commits-durable-at-barriers.md).
 */
public interface Durability {

    /**
     * Returns once every commit made so far, by any thread, would survive a kill of the process.
     *
     * @throws org.springframework.dao.DataAccessException when the database cannot write its file
     */
    void barrier();

    /**
     * Until the scope is closed, connections closed by this thread do not wait for their commits to be
     * durable; closing the scope is a {@link #barrier}. Scopes nest; only the outermost one's close waits.
     */
    Scope deferred();

    /** A stretch of {@link #deferred} work on one thread. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        /** Ends the scope; the outermost one returns once its commits are durable. A second close does nothing. */
        @Override
        void close();
    }
}
