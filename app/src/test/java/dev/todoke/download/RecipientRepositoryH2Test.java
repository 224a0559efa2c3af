package dev.todoke.download;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

class RecipientRepositoryH2Test extends RecipientRepositoryContract {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
