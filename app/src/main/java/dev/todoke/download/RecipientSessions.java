package dev.todoke.download;

import dev.todoke.TodokeProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.security.RecipientSessionLookup;
import dev.todoke.transfer.LinkRevoked;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Browser sessions after a passed verification: a random id in cookie {@value #COOKIE}, of which only
 * the SHA-256 is stored (table {@code web_session}), bound to one link and valid 30 minutes. Kept in the
 * database so that every replica sees the same sessions. Spring Security's recipient chain asks {@link
 * #linkOf} on every request and holds the answer as a {@code RecipientAuthentication}. A session never
 * outlives its link: the link's state is checked separately on every request, and a revocation ends the
 * link's sessions.
 */
@Component
class RecipientSessions implements RecipientSessionLookup {

    static final String COOKIE = "todoke_session";
    static final Duration LIFETIME = Duration.ofMinutes(30);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LinkTokens tokens;
    private final boolean httpsUrl;

    RecipientSessions(JdbcClient jdbc, Clock clock, LinkTokens tokens, TodokeProperties core) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tokens = tokens;
        this.httpsUrl = core.publicUrl().toString().startsWith("https://");
    }

    /**
     * Starts a session for the link and returns the cookie that carries it: Secure when the request came
     * over https or {@code todoke.public-url} is https.
     */
    ResponseCookie start(UUID linkId, boolean requestSecure) {
        boolean secure = requestSecure || httpsUrl;
        Instant now = clock.instant();
        String id = tokens.newToken();
        jdbc.sql("delete from web_session where expires_at < ?")
                .param(Timestamp.from(now))
                .update();
        jdbc.sql("insert into web_session (id_hash, link_id, created_at, expires_at) values (?, ?, ?, ?)")
                .params(LinkTokens.hash(id), linkId, Timestamp.from(now), Timestamp.from(now.plus(LIFETIME)))
                .update();
        return ResponseCookie.from(COOKIE, id)
                .httpOnly(true)
                .secure(secure)
                .sameSite("Lax")
                .path("/")
                .maxAge(LIFETIME)
                .build();
    }

    /** The link of the live session the request carries, if any (the first live one of its cookies). */
    @Override
    public Optional<UUID> linkOf(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        Timestamp now = Timestamp.from(clock.instant());
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && LinkTokens.looksLikeToken(cookie.getValue())) {
                Optional<UUID> link = jdbc.sql("select link_id from web_session where id_hash = ? and expires_at > ?")
                        .params(LinkTokens.hash(cookie.getValue()), now)
                        .query(UUID.class)
                        .optional();
                if (link.isPresent()) {
                    return link;
                }
            }
        }
        return Optional.empty();
    }

    /** Ends every session of a link that was just revoked (in the revoking transaction). */
    @EventListener
    void end(LinkRevoked revoked) {
        jdbc.sql("delete from web_session where link_id = ?")
                .param(revoked.linkId())
                .update();
    }
}
