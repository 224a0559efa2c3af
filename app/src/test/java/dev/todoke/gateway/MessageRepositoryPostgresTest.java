package dev.todoke.gateway;

import dev.todoke.testkit.Components;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The repository contract on the local PostgreSQL, each test in a fresh schema dropped afterwards. */
class MessageRepositoryPostgresTest extends MessageRepositoryContract {

    private DataSource admin;
    private String schema;

    @Override
    DataSource dataSource() {
        String url = Components.requirePostgres();
        admin = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "");
        schema = "gateway_" + UUID.randomUUID().toString().replace("-", "");
        Flyway.configure()
                .dataSource(admin)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        String separator = url.contains("?") ? "&" : "?";
        return new SimpleDriverDataSource(
                new org.postgresql.Driver(), url + separator + "currentSchema=" + schema, "postgres", "");
    }

    @AfterEach
    void dropSchema() {
        if (admin != null && schema != null) {
            JdbcClient.create(admin).sql("drop schema " + schema + " cascade").update();
        }
    }
}
