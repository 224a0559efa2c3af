package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.storage.MemoryBlobStore;
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
import org.springframework.mock.web.MockHttpServletRequest;

/** Link look-up, file listing, download records and sessions, on each supported database. */
abstract class RecipientRepositoryContract {

    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    final MutableClock clock = new MutableClock(START);
    JdbcClient jdbc;
    RecipientLinks links;
    RecipientSessions sessions;
    TestRows.Created created;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(dataSource());
        links = new RecipientLinks(jdbc);
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
    void filesWhenListedThenInTheMessagesOrder() {
        assertThat(links.files(created.messageId()))
                .extracting(StoredFile::name)
                .containsExactly("b.txt", "a.txt");
        assertThat(links.file(created.messageId(), created.files().get(1).id()))
                .hasValueSatisfying(f ->
                        assertThat(f.sha256()).isEqualTo(created.files().get(1).sha256()));
        assertThat(links.file(UUID.randomUUID(), created.files().get(1).id())).isEmpty();
    }

    @Test
    void recordDownloadWhenFirstThenTrueAfterwardsFalse() {
        UUID link = created.link("hanako@example.com").id();

        assertThat(links.recordDownload(link, created.files().get(0).id(), START, "192.0.2.1"))
                .isTrue();
        assertThat(links.recordDownload(link, null, START, "192.0.2.1")).isFalse();
        assertThat(links.recordDownload(created.link("jiro@example.com").id(), null, START, "192.0.2.2"))
                .isTrue();
    }

    @Test
    void holdsWhenSessionForThisLinkThenTrueForAnotherLinkOrLaterThanThirtyMinutesFalse() {
        UUID hanako = created.link("hanako@example.com").id();
        UUID jiro = created.link("jiro@example.com").id();
        ResponseCookie cookie = sessions.start(hanako, false);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new jakarta.servlet.http.Cookie(cookie.getName(), cookie.getValue()));

        assertThat(sessions.holds(request, hanako)).isTrue();
        assertThat(sessions.holds(request, jiro)).isFalse();
        assertThat(jdbc.sql("select id_hash from web_session")
                        .query(String.class)
                        .single())
                .isEqualTo(LinkTokens.hash(cookie.getValue()));
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.holds(request, hanako)).isFalse();
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
