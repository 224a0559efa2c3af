package dev.todoke.purge;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

class RetentionH2Test implements RetentionContract {

    private final DataSource dataSource = Databases.h2();

    @Override
    public DataSource dataSource() {
        return dataSource;
    }
}
