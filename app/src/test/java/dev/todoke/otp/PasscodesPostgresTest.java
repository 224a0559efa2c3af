package dev.todoke.otp;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The passcode rules on the local PostgreSQL (row locks, limits and timestamps as production runs them). */
class PasscodesPostgresTest extends PasscodesContract {

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
