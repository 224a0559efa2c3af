package dev.todoke.download;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

class RecipientRepositoryPostgresTest extends RecipientRepositoryContract {

    private Databases.Postgres postgres;

    @Override
    DataSource dataSource() {
        postgres = Databases.postgres();
        return postgres.dataSource();
    }

    @AfterEach
    void drop() {
        if (postgres != null) {
            postgres.drop();
        }
    }
}
