package dev.todoke.purge;

import java.nio.file.Path;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class PurgerH2Test implements PurgerContract {

    @TempDir
    Path dir;

    JdbcClient jdbc;
    SimpleDriverDataSource dataSource;

    @BeforeEach
    void setUp() {
        dataSource = new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:purge-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa",
                "");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
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
