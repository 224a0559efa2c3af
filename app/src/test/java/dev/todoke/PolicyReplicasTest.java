package dev.todoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.testkit.Components;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A policy stored through one instance applies on a second instance sharing the database, without a
 * restart: two application contexts in one JVM on one PostgreSQL database of their own; the policy is
 * changed through A's admin API and the next mail through B's SMTP listener follows it, after B had
 * already read (and cached) the set before. Skips without a local PostgreSQL.
 */
class PolicyReplicasTest {

    static final String PASSWORD = "replica policy test";
    static final Duration REFRESH = Duration.ofMillis(500);

    @TempDir
    static Path dirs;

    static GreenMail nextHop;
    static DataSource admin;
    static String database;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        String url = Components.requirePostgres();
        admin = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "");
        database = "todoke_policy_" + UUID.randomUUID().toString().replace("-", "");
        JdbcClient.create(admin).sql("create database " + database).update();
        nextHop = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        nextHop.start();
        List<String> shared = List.of(
                "--spring.datasource.url=" + url.substring(0, url.lastIndexOf('/') + 1) + database,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--server.port=0",
                "--management.server.port=0",
                "--todoke.smtp.port=0",
                "--todoke.public-url=https://files.example.jp",
                "--todoke.internal-domains=example.jp",
                "--todoke.relay.host=127.0.0.1",
                "--todoke.relay.port=" + nextHop.getSmtp().getPort(),
                "--todoke.relay.starttls=off",
                "--todoke.mail.envelope-from=todoke@example.jp",
                "--todoke.storage.warm-up=0",
                "--todoke.admin.username=admin",
                "--todoke.admin.password=" + PASSWORD,
                "--todoke.policy.refresh=" + REFRESH.toMillis() + "ms");
        a = start("a", shared);
        b = start("b", shared);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {b, a}) {
            if (context != null) {
                context.close();
            }
        }
        if (nextHop != null) {
            nextHop.stop();
        }
        if (database != null) {
            JdbcClient.create(admin)
                    .sql("drop database if exists " + database + " with (force)")
                    .update();
        }
    }

    @Test
    void processWhenPolicyStoredThroughAThenTheNextMailThroughBFollowsIt() throws Exception {
        String sender = "s-" + UUID.randomUUID().toString().substring(0, 8) + "@example.jp";
        ReplicaMails.send(port(b), sender, "bob@partner.example", "before", new byte[] {1, 2, 3});

        HttpResponse<String> put =
                putThroughA("{\"senders\": [{\"domain\": \"example.jp\", \"settings\": {\"defaultExpiry\": \"PT6H\"}}],"
                        + " \"recipientDomains\": [{\"domain\": \"partner.example\", \"settings\": {\"maxExpiry\":"
                        + " \"P2D\"}}]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Thread.sleep(REFRESH.toMillis() + 200);
        ReplicaMails.send(port(b), sender, "bob@partner.example", "after", new byte[] {4, 5, 6});

        JdbcClient db = JdbcClient.create(b.getBean(DataSource.class));
        assertThat(lifetime(db, "before")).isEqualTo(Duration.ofDays(7));
        assertThat(lifetime(db, "after")).isEqualTo(Duration.ofHours(6));
        assertThat(db.sql("select created_at, max_expires_at from message where subject = 'after'")
                        .query((rs, n) -> Duration.between(
                                rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)))
                        .single())
                .isEqualTo(Duration.ofDays(2));
    }

    private static Duration lifetime(JdbcClient db, String subject) {
        return db.sql("select created_at, expires_at from message where subject = ?")
                .param(subject)
                .query((rs, n) ->
                        Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)))
                .single();
    }

    private static HttpResponse<String> putThroughA(String body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth =
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create("http://127.0.0.1:" + a.getEnvironment().getRequiredProperty("local.server.port")
                + "/api/v1/admin/policies");
        String etag = http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", auth)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .headers()
                .firstValue("ETag")
                .orElseThrow();
        return http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .header("If-Match", etag)
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getBean(SmtpListener.class).port();
    }

    private static ConfigurableApplicationContext start(String name, List<String> shared) throws Exception {
        Path dataDir = Files.createDirectories(dirs.resolve(name));
        List<String> args = new ArrayList<>(shared);
        args.add("--todoke.data-dir=" + dataDir);
        return new SpringApplicationBuilder(TodokeApplication.class).run(args.toArray(String[]::new));
    }
}
