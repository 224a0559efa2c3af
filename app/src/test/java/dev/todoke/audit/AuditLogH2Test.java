package dev.todoke.audit;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

class AuditLogH2Test implements AuditLogContract {

    private final DataSource dataSource = Databases.h2();

    @Override
    public DataSource dataSource() {
        return dataSource;
    }
}
