package dev.todoke.transfer;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

/** The transfer search contract on H2 (in memory, PostgreSQL mode). */
class TransferSearchH2Test extends TransferSearchContract {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
