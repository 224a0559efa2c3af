package dev.todoke.download;

import dev.todoke.web.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecipientRepositoryPostgresTest extends RecipientRepositoryContract {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    @Override
    DataSource dataSource() {
        return postgres.dataSource();
    }
}
