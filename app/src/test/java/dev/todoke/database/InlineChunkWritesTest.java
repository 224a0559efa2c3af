package dev.todoke.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InlineChunkWritesTest {

    @TempDir
    Path dir;

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive()
                        && (t.getName().equals("H2-serialization")
                                || t.getName().equals("H2-save")))
                .count();
    }

    private static MVStore store(Connection connection) throws Exception {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession())
                .getDatabase()
                .getStore()
                .getMvStore();
    }

    @Test
    void applyWhenH2FileStoreThenItsWriterThreadsEndAndChunksAreStillWrittenAndReadAgain() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        long before = writerThreads();
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            MVStore store = store(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("create table t (x int primary key, y varchar(100))");
            }
            store.commit();
            assertThat(writerThreads())
                    .as("H2 wrote that chunk on its two writer threads")
                    .isEqualTo(before + 2);

            assertThat(InlineChunkWrites.apply(store.getFileStore())).isTrue();

            try (Statement statement = connection.createStatement()) {
                statement.execute("insert into t select x, repeat('y', 100) from system_range(1, 5000)");
            }
            assertThat(store.commit()).as("a chunk written, on this thread").isPositive();
            for (int i = 0; i < 100 && writerThreads() > before; i++) {
                Thread.sleep(50);
            }
            assertThat(writerThreads())
                    .as("the writer threads of this store ended")
                    .isEqualTo(before);
        }
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*), sum(length(y)) from t")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(5000);
            assertThat(rows.getLong(2)).isEqualTo(500_000);
        }
    }
}
