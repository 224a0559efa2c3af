package dev.todoke.transfer;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

class HoldsH2Test extends HoldsContract {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
