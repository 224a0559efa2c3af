package dev.todoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.audit.AuditLog;
import dev.todoke.audit.AuditQuery;
import dev.todoke.jobs.JobLock;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.storage.S3ProxyServer;
import dev.todoke.testkit.Components;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * Two application instances in one JVM (two Spring contexts, each with its own ports and data
 * directory) on one PostgreSQL database and one S3 server (S3Proxy), relaying to one capture server:
 * they behave as one (docs/replicas.md). Mail enters through A; every other step alternates between A
 * and B. Skips without a local PostgreSQL.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicasTest {

    static final String PUBLIC_URL = "https://files.example.jp";
    static final int RATE_LIMIT = 10;
    static final SecureRandom RANDOM = new SecureRandom();
    static final String WEB_SECRET = base64(RANDOM, 32);
    static final String SEAL_KEY = base64(RANDOM, 32);
    static final String AUDIT_KEY = base64(RANDOM, 32);
    static final String KEK = base64(RANDOM, 32);

    @TempDir
    static Path dirs;

    static GreenMail nextHop;
    static S3ProxyServer s3;
    static DataSource admin;
    static String database;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;
    static ReplicaClient webA;
    static ReplicaClient webB;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        String url = Components.requirePostgres();
        admin = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "");
        database = "todoke_replicas_" + UUID.randomUUID().toString().replace("-", "");
        JdbcClient.create(admin).sql("create database " + database).update();
        String replicaUrl = url.substring(0, url.lastIndexOf('/') + 1) + database;

        int nextHopPort = freePort();
        nextHop = new GreenMail(new ServerSetup(nextHopPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        nextHop.start();
        s3 = S3ProxyServer.inMemory();

        List<String> shared = List.of(
                "--spring.datasource.url=" + replicaUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--server.port=0",
                "--management.server.port=0",
                "--server.forward-headers-strategy=native",
                "--todoke.smtp.port=0",
                "--todoke.public-url=" + PUBLIC_URL,
                "--todoke.internal-domains=example.jp",
                "--todoke.relay.host=127.0.0.1",
                "--todoke.relay.port=" + nextHopPort,
                "--todoke.relay.starttls=off",
                "--todoke.mail.envelope-from=todoke@example.jp",
                // what replicas must share: the web secret, the seal key, the audit key, the KEKs (docs/replicas.md)
                "--todoke.web.secret=" + WEB_SECRET,
                "--todoke.mail.seal-key=" + SEAL_KEY,
                "--todoke.audit.key=" + AUDIT_KEY,
                "--todoke.storage.keys.primary=k1",
                "--todoke.storage.keys.kek[0].id=k1",
                "--todoke.storage.keys.kek[0].key=" + KEK,
                "--todoke.storage.s3.endpoint=" + s3.endpoint(),
                "--todoke.storage.s3.bucket=replicas",
                "--todoke.storage.s3.access-key=" + S3ProxyServer.ACCESS_KEY,
                "--todoke.storage.s3.secret-key=" + S3ProxyServer.SECRET_KEY,
                "--todoke.storage.warm-up=0",
                "--todoke.web.rate-limit-per-minute=" + RATE_LIMIT,
                "--todoke.purge.interval=1h",
                // everything at INFO (the test kit's logback-test.xml keeps libraries at WARN): the test
                // checks that nothing logged holds a token, a code or a key
                "--logging.level.root=info",
                "--logging.level.todoke.audit=info");
        a = start("a", shared);
        b = start("b", shared);
        webA = new ReplicaClient(a);
        webB = new ReplicaClient(b);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {b, a, s3}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
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
    void verifyWhenPasscodeMailedByAThenBAcceptsItAndBothServeTheFile(CapturedOutput logs) throws Exception {
        byte[] file = "the quarterly figures".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Sent sent = sendThroughA("bob@partner.example", "verify across replicas", file);

        assertThat(webA.post("/api/v1/d/" + sent.link() + "/code", "").statusCode())
                .isEqualTo(202);
        String code = passcodeFor("bob@partner.example");
        var verified = webB.post("/api/v1/d/" + sent.link() + "/verify", codeJson(code));
        String cookie =
                verified.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String fileId = field(verified.body(), "id");

        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(webB.download("/api/v1/d/" + sent.link() + "/files/" + fileId, cookie))
                .isEqualTo(file);
        assertThat(webA.download("/api/v1/d/" + sent.link() + "/files/" + fileId, cookie))
                .isEqualTo(file);
        assertThat(logs.getAll())
                .as("what both replicas logged")
                .contains("code-passed")
                .doesNotContain(sent.link(), sent.manage(), cookie.substring(cookie.indexOf('=') + 1))
                .doesNotContain(WEB_SECRET, SEAL_KEY, AUDIT_KEY, KEK, S3ProxyServer.SECRET_KEY)
                .doesNotContainPattern("\\b" + code + "\\b");
    }

    @Test
    void verifyWhenWrongCodesGoToAAndBThenTheyAddUpToTheLockout() throws Exception {
        Sent sent = sendThroughA("carol@partner.example", "lockout across replicas", new byte[] {1, 2, 3});
        webB.post("/api/v1/d/" + sent.link() + "/code", "");
        String right = passcodeFor("carol@partner.example");
        String wrong = right.equals("000000") ? "111111" : "000000";
        String path = "/api/v1/d/" + sent.link() + "/verify";

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add((i % 2 == 0 ? webA : webB).post(path, codeJson(wrong)).body());
        }
        var afterLock = webB.post(path, codeJson(right));

        assertThat(answers.get(0)).contains("\"attemptsLeft\":4");
        assertThat(answers.get(1)).contains("\"attemptsLeft\":3");
        assertThat(answers.get(3)).contains("\"attemptsLeft\":1");
        assertThat(answers.get(4)).contains("\"error\":\"locked\"");
        assertThat(afterLock.statusCode()).isEqualTo(429);
        assertThat(afterLock.body()).contains("\"error\":\"locked\"");
    }

    @Test
    void auditWhenBothReplicasRecordAtOnceThenOneChainThatEachVerifies() throws Exception {
        Sent sent = sendThroughA("frank@partner.example", "audit across replicas", new byte[] {8});
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ConfigurableApplicationContext replica = t % 2 == 0 ? a : b;
            ReplicaClient web = t % 2 == 0 ? webA : webB;
            String clientIp = "198.51.100." + (60 + t);
            Thread thread = new Thread(() -> awaitThenRun(go, () -> {
                for (int i = 0; i < 8; i++) {
                    replica.getBean(AuditLog.class)
                            .record(AuditLog.SYSTEM, "replica-test", null, null, null, null, "#" + i);
                    try {
                        web.get("/api/v1/d/" + sent.link(), clientIp);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(JdbcClient.create(admin(a))
                        .sql("select count(*) from audit_event where kind = 'link-viewed'"
                                + " and actor = 'recipient:frank@partner.example'")
                        .query(Long.class)
                        .single())
                .isEqualTo(32);
        assertThat(JdbcClient.create(admin(a))
                        .sql("select count(*) from audit_event where kind = 'replica-test'")
                        .query(Long.class)
                        .single())
                .isEqualTo(32);
        assertThat(a.getBean(AuditQuery.class).verify()).isEqualTo(new AuditQuery.Verification(true, null));
        assertThat(b.getBean(AuditQuery.class).verify()).isEqualTo(new AuditQuery.Verification(true, null));
    }

    @Test
    void downloadWhenRevokedOnBThenAAnswers410AtItsNextRequest() throws Exception {
        Sent sent = sendThroughA("dave@partner.example", "revoke across replicas", new byte[] {4, 5, 6});
        assertThat(webA.get("/api/v1/d/" + sent.link()).statusCode()).isEqualTo(200);

        var revoked = webB.post("/api/v1/s/" + sent.manage() + "/revoke", "{}");

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(webA.get("/api/v1/d/" + sent.link()).statusCode()).isEqualTo(410);
        assertThat(webA.post("/api/v1/d/" + sent.link() + "/code", "").statusCode())
                .isEqualTo(410);
    }

    @Test
    void expiryWhenChangedOnAThenBShowsTheNewExpiry() throws Exception {
        Sent sent = sendThroughA("erin@partner.example", "expiry across replicas", new byte[] {7});
        String before = field(webB.get("/api/v1/d/" + sent.link()).body(), "expiresAt");
        Instant wanted = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

        var changed = webA.post("/api/v1/s/" + sent.manage() + "/expiry", "{\"expiresAt\":\"" + wanted + "\"}");
        String after = field(webB.get("/api/v1/d/" + sent.link()).body(), "expiresAt");

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(after).isEqualTo(wanted.toString()).isNotEqualTo(before);
    }

    @Test
    void rateLimitWhenOneClientAlternatesBetweenAAndBThenTheLimitIsShared() throws Exception {
        String ip = "198.51.100.77";
        int passed = 0;
        int tries = 0;
        while (tries < 2 * RATE_LIMIT) {
            int status = (tries % 2 == 0 ? webA : webB)
                    .get("/api/v1/d/no-such-token", ip)
                    .statusCode();
            tries++;
            if (status == 429) {
                break;
            }
            passed++;
        }

        assertThat(passed).isEqualTo(RATE_LIMIT);
        assertThat(webA.get("/api/v1/d/no-such-token", ip).statusCode()).isEqualTo(429);
        assertThat(webB.get("/api/v1/d/no-such-token", ip).statusCode()).isEqualTo(429);
        assertThat(webB.get("/api/v1/d/no-such-token", "198.51.100.78").statusCode())
                .isEqualTo(404);
    }

    @Test
    void purgeWhenBothReplicasTimersFireAtOnceThenOnlyOneRuns() throws Exception {
        Runnable purgeA = purgeTask(a);
        Runnable purgeB = purgeTask(b);
        CountDownLatch go = new CountDownLatch(1);

        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> runA = executor.submit(() -> awaitThenRun(go, purgeA));
            Future<?> runB = executor.submit(() -> awaitThenRun(go, purgeB));
            go.countDown();
            runA.get();
            runB.get();
        }
        purgeA.run(); // the same period: neither runs again
        purgeB.run();

        double runsA = purgeRuns(a);
        double runsB = purgeRuns(b);
        String holder = JdbcClient.create(admin(a))
                .sql("select locked_by from job_lock where name = 'purge'")
                .query(String.class)
                .single();
        assertThat(runsA + runsB).isEqualTo(1);
        assertThat(holder).isEqualTo((runsA == 1 ? a : b).getBean(JobLock.class).owner());
    }

    // --- the two replicas -------------------------------------------------------------------------

    private static ConfigurableApplicationContext start(String name, List<String> shared) throws IOException {
        Path dataDir = Files.createDirectories(dirs.resolve(name));
        List<String> args = new ArrayList<>(shared);
        args.add("--todoke.data-dir=" + dataDir);
        return new SpringApplicationBuilder(TodokeApplication.class).run(args.toArray(String[]::new));
    }

    record Sent(String link, String manage) {}

    /** Mails one attachment from a sender of its own to {@code recipient} through A's SMTP listener. */
    private static Sent sendThroughA(String recipient, String subject, byte[] file) throws Exception {
        String sender = "s-" + UUID.randomUUID().toString().substring(0, 8) + "@example.jp";
        ReplicaMails.send(a.getBean(SmtpListener.class).port(), sender, recipient, subject, file);
        String copy = ReplicaMails.text(only(recipient, subject));
        String receipt = ReplicaMails.text(only(sender, null));
        return new Sent(token(copy, "/d/"), token(receipt, "/s/"));
    }

    private static String passcodeFor(String recipient) throws Exception {
        Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(ReplicaMails.text(only(recipient, "Your passcode")));
        assertThat(code.find()).as("a 6-digit code").isTrue();
        return code.group(1);
    }

    /** The one captured message to {@code recipient} whose subject contains {@code marker} (null: any). */
    private static MimeMessage only(String recipient, String marker) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : nextHop.getReceivedMessagesForDomain(recipient)) {
            if (marker == null || ReplicaMails.subject(message).contains(marker)) {
                found.add(message);
            }
        }
        assertThat(found).as("mail to " + recipient + " with " + marker).hasSize(1);
        return found.get(0);
    }

    private static String token(String text, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(PUBLIC_URL + prefix) + "([A-Za-z0-9_-]+)")
                .matcher(text);
        assertThat(m.find()).as(prefix + " link in\n" + text).isTrue();
        return m.group(1);
    }

    private static String codeJson(String code) {
        return "{\"code\":\"" + code + "\"}";
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private static Runnable purgeTask(ConfigurableApplicationContext context) {
        List<Runnable> found = new ArrayList<>();
        for (ScheduledTaskHolder holder :
                context.getBeansOfType(ScheduledTaskHolder.class).values()) {
            for (ScheduledTask task : holder.getScheduledTasks()) {
                if (task.getTask().getRunnable().toString().contains("PurgeConfiguration")) {
                    found.add(task.getTask().getRunnable());
                }
            }
        }
        assertThat(found).as("the purger's scheduled task").hasSize(1);
        return found.get(0);
    }

    private static void awaitThenRun(CountDownLatch go, Runnable task) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        task.run();
    }

    private static double purgeRuns(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class).counter("todoke.purge.runs").count();
    }

    private static DataSource admin(ConfigurableApplicationContext context) {
        return context.getBean(DataSource.class);
    }

    private static String base64(SecureRandom random, int bytes) {
        byte[] key = new byte[bytes];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
