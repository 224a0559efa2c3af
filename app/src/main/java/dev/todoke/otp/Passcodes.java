package dev.todoke.otp;

import dev.todoke.common.RowIds;
import dev.todoke.web.ServerSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One-time passcodes for a link: two verbs, {@link #issue} and {@link #verify}.
 *
 * <ul>
 *   <li>A code is 6 digits from {@link SecureRandom}, valid {@value #VALIDITY_MINUTES} minutes.
 *   <li>At most {@value #MAX_PER_HOUR} codes per link in any hour; a new code supersedes the older ones.
 *   <li>{@value #MAX_WRONG} wrong tries lock the code; a locked code answers {@link Outcome.Locked} to
 *       every try, the right code included, until a new code is issued.
 *   <li>Only an HMAC-SHA256 of the code (keyed by the server secret and bound to the link) is stored,
 *       and it is compared in constant time. A passed code is used up.
 * </ul>
 *
 * State lives only in the database (table {@code otp_code}); every change is a conditional update, so
 * several replicas can serve the same link. Thread-safe.
 */
@Service
public class Passcodes {

    public static final int VALIDITY_MINUTES = 10;
    public static final int MAX_WRONG = 5;
    public static final int MAX_PER_HOUR = 5;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random;
    private final ServerSecret secret;

    public Passcodes(JdbcClient jdbc, Clock clock, SecureRandom random, ServerSecret secret) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.random = random;
        this.secret = secret;
    }

    /**
     * Makes a new code for the link and supersedes any earlier one.
     *
     * @return the code, to be mailed to the link's recipient and then forgotten; empty when the link has
     *     already had {@value #MAX_PER_HOUR} codes in the last hour
     */
    @Transactional
    public Optional<String> issue(UUID linkId) {
        Instant now = clock.instant();
        // Lock the link row so that two replicas cannot both pass the rate check.
        jdbc.sql("select id from link where id = ? for update")
                .param(linkId)
                .query(UUID.class)
                .optional();
        long recent = jdbc.sql("select count(*) from otp_code where link_id = ? and created_at > ?")
                .params(linkId, Timestamp.from(now.minus(Duration.ofHours(1))))
                .query(Long.class)
                .single();
        if (recent >= MAX_PER_HOUR) {
            return Optional.empty();
        }
        jdbc.sql("update otp_code set state = 'superseded' where link_id = ? and state in ('active', 'locked')")
                .param(linkId)
                .update();
        String code = String.format("%06d", random.nextInt(1_000_000));
        jdbc.sql("insert into otp_code (id, link_id, code_hash, created_at, expires_at, failed_attempts, state)"
                        + " values (?, ?, ?, ?, ?, 0, 'active')")
                .params(
                        RowIds.next(),
                        linkId,
                        hash(linkId, code),
                        Timestamp.from(now),
                        Timestamp.from(now.plus(Duration.ofMinutes(VALIDITY_MINUTES))))
                .update();
        return Optional.of(code);
    }

    /** Checks a typed code against the link's current code. */
    @Transactional
    public Outcome verify(UUID linkId, String typed) {
        Optional<Current> found = jdbc.sql("select id, code_hash, expires_at, failed_attempts, state from otp_code"
                        + " where link_id = ? and state in ('active', 'locked') order by created_at desc"
                        + " limit 1 for update")
                .param(linkId)
                .query((rs, n) -> new Current(
                        rs.getObject("id", UUID.class),
                        rs.getString("code_hash"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getInt("failed_attempts"),
                        rs.getString("state")))
                .optional();
        if (found.isEmpty()) {
            return new Outcome.NoCode();
        }
        Current current = found.get();
        if (current.state.equals("locked")) {
            return new Outcome.Locked(false);
        }
        if (!clock.instant().isBefore(current.expiresAt)) {
            return new Outcome.Expired();
        }
        String candidate = typed == null ? "" : typed.strip();
        boolean right = candidate.length() == 6
                && candidate.chars().allMatch(c -> c >= '0' && c <= '9')
                && MessageDigest.isEqual(
                        hash(linkId, candidate).getBytes(StandardCharsets.US_ASCII),
                        current.codeHash.getBytes(StandardCharsets.US_ASCII));
        if (right) {
            int used = jdbc.sql("update otp_code set state = 'used' where id = ? and state = 'active'")
                    .param(current.id)
                    .update();
            return used == 1 ? new Outcome.Passed() : new Outcome.NoCode();
        }
        int failed = current.failedAttempts + 1;
        String state = failed >= MAX_WRONG ? "locked" : "active";
        jdbc.sql("update otp_code set failed_attempts = ?, state = ? where id = ?")
                .params(failed, state, current.id)
                .update();
        return failed >= MAX_WRONG ? new Outcome.Locked(true) : new Outcome.Wrong(MAX_WRONG - failed);
    }

    private String hash(UUID linkId, String code) {
        byte[] mac = secret.mac("otp").doFinal((linkId + ":" + code).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac);
    }

    private record Current(UUID id, String codeHash, Instant expiresAt, int failedAttempts, String state) {}

    /** What a verification found. */
    public sealed interface Outcome {
        /** The right code, in time: it is now used up. */
        record Passed() implements Outcome {}

        /** A wrong code; {@code attemptsLeft} (1 to 4) more tries before the code locks. */
        record Wrong(int attemptsLeft) implements Outcome {}

        /**
         * The code is locked after {@value Passcodes#MAX_WRONG} wrong tries: a new code is needed. {@code
         * justNow}: this try locked it (the lockout to audit); false when it was locked already.
         */
        record Locked(boolean justNow) implements Outcome {}

        /** The current code is past its {@value Passcodes#VALIDITY_MINUTES} minutes. */
        record Expired() implements Outcome {}

        /** No code was requested (or the last one was used already). */
        record NoCode() implements Outcome {}
    }
}
