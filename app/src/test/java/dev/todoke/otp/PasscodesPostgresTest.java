package dev.todoke.otp;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The passcode rules on the local PostgreSQL (row locks, limits and timestamps as production runs them). */
class PasscodesPostgresTest extends PasscodesContract {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    @Override
    DataSource dataSource() {
        return postgres.dataSource();
    }
}
