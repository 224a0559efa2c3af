package dev.todoke.purge;

import dev.todoke.testkit.Components;
import java.nio.file.Path;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The purger against the local PostgreSQL, in a schema of its own per test. */
class PurgerPostgresTest implements PurgerContract {

    @TempDir
    Path dir;

    JdbcClient jdbc;
    SimpleDriverDataSource dataSource;
    JdbcClient admin;
    String schema;

    @BeforeEach
    void setUp() {
        String url = Components.requirePostgres();
        schema = "purge_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""));
        admin.sql("create schema " + schema).update();
        dataSource = new SimpleDriverDataSource(
                new org.postgresql.Driver(), url + "?currentSchema=" + schema, "postgres", "");
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void tearDown() {
        if (admin != null) {
            admin.sql("drop schema if exists " + schema + " cascade").update();
        }
    }

    @Override
    public JdbcClient jdbc() {
        return jdbc;
    }

    @Override
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    @Override
    public Path blobDir() {
        return dir.resolve("blobs");
    }
}
