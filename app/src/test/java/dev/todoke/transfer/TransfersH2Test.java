package dev.todoke.transfer;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

class TransfersH2Test extends TransfersContract {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
