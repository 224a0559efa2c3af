package dev.todoke.gateway;

import javax.sql.DataSource;

class MessageRepositoryH2Test extends MessageRepositoryContract {

    @Override
    DataSource dataSource() {
        return StepFixture.h2();
    }
}
