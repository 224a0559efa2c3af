package dev.todoke.web;

import dev.todoke.testkit.Components;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Migrated databases for repository tests: a fresh in-memory H2, or a fresh schema on the local PostgreSQL. */
public final class Databases {

    private Databases() {}

    public static DataSource h2() {
        String url = "jdbc:h2:mem:web-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(), url, "sa", "");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return dataSource;
    }

    /** A PostgreSQL schema of its own; drop it with {@link Postgres#drop()}. */
    public static Postgres postgres() {
        String url = Components.requirePostgres();
        DataSource admin = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "");
        String schema = "web_" + UUID.randomUUID().toString().replace("-", "");
        Flyway.configure()
                .dataSource(admin)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        String separator = url.contains("?") ? "&" : "?";
        DataSource dataSource = new SimpleDriverDataSource(
                new org.postgresql.Driver(), url + separator + "currentSchema=" + schema, "postgres", "");
        return new Postgres(dataSource, admin, schema);
    }

    public record Postgres(DataSource dataSource, DataSource admin, String schema) {
        public void drop() {
            JdbcClient.create(admin).sql("drop schema " + schema + " cascade").update();
        }
    }

    /**
     * A fresh PostgreSQL schema for each test that asks for one, dropped after the test: register it
     * with {@code @RegisterExtension} on an instance field.
     */
    public static final class SchemaPerTest implements AfterEachCallback {

        private Postgres current;

        /** Creates and migrates the test's schema (skips the test without a local PostgreSQL). */
        public DataSource dataSource() {
            current = postgres();
            return current.dataSource();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (current != null) {
                current.drop();
                current = null;
            }
        }
    }
}
