package dev.todoke.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.todoke.database.DatabaseConfiguration.DurableDataSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseConfigurationTest {

    @ParameterizedTest
    @CsvSource({
        "jdbc:h2:file:./data/db/todoke;MODE=PostgreSQL, true",
        "JDBC:H2:./data/db/todoke, true",
        "jdbc:h2:~/todoke, true",
        "jdbc:h2:mem:x, false",
        "jdbc:h2:tcp://localhost/todoke, false",
        "jdbc:h2:ssl://localhost/todoke, false",
        "jdbc:postgresql://127.0.0.1:5432/todoke, false"
    })
    void isH2FileWhenUrlThenOnlyEmbeddedH2Files(String url, boolean file) {
        assertThat(DurableDataSources.isH2File(url)).isEqualTo(file);
    }

    @Test
    void postProcessWhenH2FileThenWrappedElseTheSameBean() {
        DurableDataSources sources = new DurableDataSources();
        try (HikariDataSource h2 = new HikariDataSource();
                HikariDataSource postgres = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:file:./never-opened");
            postgres.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/x");

            assertThat(sources.postProcessAfterInitialization(h2, "dataSource")).isInstanceOf(DurableDataSource.class);
            assertThat(sources.postProcessAfterInitialization(postgres, "dataSource"))
                    .isSameAs(postgres);
            assertThat(sources.postProcessAfterInitialization("not a data source", "x"))
                    .isEqualTo("not a data source");
        }
    }
}
