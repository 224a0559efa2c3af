package dev.todoke.audit;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit chain against the local PostgreSQL, in a schema of its own per test. */
class AuditLogPostgresTest implements AuditLogContract {

    @RegisterExtension
    final Databases.SchemaPerTest schema = new Databases.SchemaPerTest();

    private DataSource dataSource;

    @BeforeEach
    void setUp() {
        dataSource = schema.dataSource();
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }
}
