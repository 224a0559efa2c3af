package dev.todoke.tls;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TlsVerdictStoreTest} on the local PostgreSQL, each test in a fresh schema dropped afterwards. */
class TlsVerdictStorePostgresTest extends TlsVerdictStoreTest {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    @Override
    DataSource dataSource() {
        return postgres.dataSource();
    }
}
