package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.storage.MemoryBlobStore;
import dev.todoke.transfer.LinkRevoked;
import dev.todoke.transfer.Transfers;
import dev.todoke.web.MutableClock;
import dev.todoke.web.TestRows;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Link look-up by token and sessions, on each supported database, over a real {@link Transfers} whose
 * {@link LinkRevoked} events reach the sessions as Spring would deliver them. The transfer rows
 * themselves are tested by {@code TransfersContract}.
 */
abstract class RecipientRepositoryContract {

    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    final MutableClock clock = new MutableClock(START);
    JdbcClient jdbc;
    RecipientLinks links;
    RecipientSessions sessions;
    Transfers transfers;
    TestRows.Created created;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        DataSource dataSource = dataSource();
        jdbc = JdbcClient.create(dataSource);
        transfers = new Transfers(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), e -> {
            if (e instanceof LinkRevoked revoked) {
                sessions.end(revoked);
            }
        });
        links = new RecipientLinks(transfers);
        sessions = new RecipientSessions(
                jdbc,
                clock,
                new LinkTokens(new SecureRandom()),
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), Path.of("."), List.of()));
        created = TestRows.message(jdbc, new MemoryBlobStore(), START)
                .recipient("hanako@example.com")
                .recipient("jiro@example.com")
                .file("b.txt", "second")
                .file("a.txt", "first")
                .insert();
    }

    @Test
    void findByTokenWhenKnownThenLinkWithSenderAndFileCount() {
        RecipientLink link =
                links.findByToken(created.link("hanako@example.com").token()).orElseThrow();

        assertThat(link.linkId()).isEqualTo(created.link("hanako@example.com").id());
        assertThat(link.recipient()).isEqualTo("hanako@example.com");
        assertThat(link.sender()).isEqualTo("taro@corp.example");
        assertThat(link.fileCount()).isEqualTo(2);
        assertThat(link.expiresAt()).isEqualTo(START.plus(Duration.ofDays(7)));
        assertThat(link.status(START)).isEqualTo(RecipientLink.Status.ACTIVE);
        assertThat(link.status(START.plus(Duration.ofDays(7)))).isEqualTo(RecipientLink.Status.EXPIRED);
    }

    @Test
    void findByTokenWhenUnknownOrMalformedThenEmpty() {
        assertThat(links.findByToken("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .isEmpty();
        assertThat(links.findByToken("../../etc/passwd")).isEmpty();
        assertThat(links.findByToken(created.manageToken())).isEmpty();
    }

    @Test
    void holdsWhenSessionForThisLinkThenTrueForAnotherLinkOrLaterThanThirtyMinutesFalse() {
        UUID hanako = created.link("hanako@example.com").id();
        UUID jiro = created.link("jiro@example.com").id();
        ResponseCookie cookie = sessions.start(hanako, false);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new jakarta.servlet.http.Cookie(cookie.getName(), cookie.getValue()));

        assertThat(sessions.linkOf(request).equals(java.util.Optional.of(hanako)))
                .isTrue();
        assertThat(sessions.linkOf(request).equals(java.util.Optional.of(jiro))).isFalse();
        assertThat(jdbc.sql("select id_hash from web_session")
                        .query(String.class)
                        .single())
                .isEqualTo(LinkTokens.hash(cookie.getValue()));
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.linkOf(request).equals(java.util.Optional.of(hanako)))
                .isFalse();
    }

    @Test
    void findByTokenWhenLinkRevokedThenRevokedStatusAndItsSessionsEnded() {
        UUID hanako = created.link("hanako@example.com").id();
        UUID jiro = created.link("jiro@example.com").id();
        ResponseCookie mine = sessions.start(hanako, false);
        sessions.start(jiro, false);

        transfers.revoke(hanako, START.plusSeconds(60));

        assertThat(links.findByToken(created.link("hanako@example.com").token()))
                .hasValueSatisfying(l -> assertThat(l.status(START)).isEqualTo(RecipientLink.Status.REVOKED));
        assertThat(jdbc.sql("select link_id from web_session").query(UUID.class).list())
                .containsExactly(jiro);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new jakarta.servlet.http.Cookie(mine.getName(), mine.getValue()));
        assertThat(sessions.linkOf(request).equals(java.util.Optional.of(hanako)))
                .isFalse();
    }

    @Test
    void startWhenPublicUrlIsHttpsThenSecureCookie() {
        RecipientSessions https = new RecipientSessions(
                jdbc,
                clock,
                new LinkTokens(new SecureRandom()),
                new TodokeProperties(URI.create("https://files.example.jp"), Path.of("."), List.of()));

        ResponseCookie cookie = https.start(created.link("hanako@example.com").id(), false);

        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
    }
}
