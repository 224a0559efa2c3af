package dev.todoke.otp;

import dev.todoke.web.Databases;
import javax.sql.DataSource;

class PasscodesH2Test extends PasscodesContract {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
