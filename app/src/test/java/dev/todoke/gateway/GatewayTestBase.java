package dev.todoke.gateway;

import dev.todoke.smtp.SmtpListener;
import dev.todoke.storage.BlobStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The beans the gateway tests talk to. Each subclass configures its own context ({@code @SpringBootTest}
 * and its own {@code @DynamicPropertySource}), so no two of them share one.
 */
abstract class GatewayTestBase {

    @Autowired
    SmtpListener listener;

    @Autowired
    BlobStore blobStore;

    @Autowired
    JdbcClient jdbc;
}
