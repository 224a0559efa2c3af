package dev.todoke.transfer;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transfer search contract on the local PostgreSQL, each test in a fresh schema dropped afterwards. */
class TransferSearchPostgresTest extends TransferSearchContract {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    @Override
    DataSource dataSource() {
        return postgres.dataSource();
    }
}
