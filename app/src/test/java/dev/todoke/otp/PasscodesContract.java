package dev.todoke.otp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.MemoryBlobStore;
import dev.todoke.web.MutableClock;
import dev.todoke.web.ServerSecret;
import dev.todoke.web.TestRows;
import dev.todoke.web.WebProperties;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The passcode rules, run against each database the application supports. */
abstract class PasscodesContract {

    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(START);
    JdbcClient jdbc;
    Passcodes passcodes;
    UUID linkId;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(dataSource());
        ServerSecret secret = new ServerSecret(
                new WebProperties("", 120, ZoneOffset.UTC),
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of()),
                new SecureRandom());
        passcodes = new Passcodes(jdbc, clock, new SecureRandom(), secret);
        linkId = TestRows.message(jdbc, new MemoryBlobStore(), START)
                .recipient("hanako@example.com")
                .insert()
                .firstLink()
                .id();
    }

    @Test
    void issueWhenCalledThenSixDigitsStoredOnlyAsKeyedHash() {
        String code = passcodes.issue(linkId).orElseThrow();

        assertThat(code).matches("[0-9]{6}");
        String stored = jdbc.sql("select code_hash from otp_code where link_id = ?")
                .param(linkId)
                .query(String.class)
                .single();
        assertThat(stored).matches("[0-9a-f]{64}").doesNotContain(code);
    }

    @Test
    void verifyWhenRightCodeThenPassedAndUsedUp() {
        String code = passcodes.issue(linkId).orElseThrow();

        assertThat(passcodes.verify(linkId, code)).isInstanceOf(Passcodes.Outcome.Passed.class);
        assertThat(passcodes.verify(linkId, code)).isInstanceOf(Passcodes.Outcome.NoCode.class);
    }

    @Test
    void verifyWhenNoCodeWasIssuedThenNoCode() {
        assertThat(passcodes.verify(linkId, "123456")).isInstanceOf(Passcodes.Outcome.NoCode.class);
    }

    @Test
    void verifyWhenCodeIsForAnotherLinkThenWrong() {
        UUID other = TestRows.message(jdbc, new MemoryBlobStore(), START)
                .recipient("other@example.com")
                .insert()
                .firstLink()
                .id();
        String othersCode = passcodes.issue(other).orElseThrow();
        String mine = passcodes.issue(linkId).orElseThrow();

        Passcodes.Outcome outcome =
                othersCode.equals(mine) ? new Passcodes.Outcome.Wrong(4) : passcodes.verify(linkId, othersCode);

        assertThat(outcome).isEqualTo(new Passcodes.Outcome.Wrong(4));
    }

    @Test
    void verifyWhenTenMinutesHavePassedThenExpired() {
        String code = passcodes.issue(linkId).orElseThrow();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(passcodes.verify(linkId, wrong(code))).isEqualTo(new Passcodes.Outcome.Wrong(4));

        clock.advance(Duration.ofSeconds(1));

        assertThat(passcodes.verify(linkId, code)).isInstanceOf(Passcodes.Outcome.Expired.class);
    }

    @Test
    void verifyWhenFiveWrongTriesThenLockedEvenForTheRightCodeUntilANewCode() {
        String code = passcodes.issue(linkId).orElseThrow();

        for (int left = 4; left >= 1; left--) {
            assertThat(passcodes.verify(linkId, wrong(code))).isEqualTo(new Passcodes.Outcome.Wrong(left));
        }
        assertThat(passcodes.verify(linkId, wrong(code))).isEqualTo(new Passcodes.Outcome.Locked(true));
        assertThat(passcodes.verify(linkId, code)).isEqualTo(new Passcodes.Outcome.Locked(false));
        assertThat(passcodes.verify(linkId, wrong(code))).isEqualTo(new Passcodes.Outcome.Locked(false));

        String fresh = passcodes.issue(linkId).orElseThrow();
        assertThat(passcodes.verify(linkId, fresh)).isInstanceOf(Passcodes.Outcome.Passed.class);
    }

    @Test
    void verifyWhenMalformedInputThenCountsAsWrong() {
        String code = passcodes.issue(linkId).orElseThrow();

        assertThat(passcodes.verify(linkId, null)).isEqualTo(new Passcodes.Outcome.Wrong(4));
        assertThat(passcodes.verify(linkId, code + "0")).isEqualTo(new Passcodes.Outcome.Wrong(3));
        assertThat(passcodes.verify(linkId, " " + code + " ")).isInstanceOf(Passcodes.Outcome.Passed.class);
    }

    @Test
    void issueWhenNewCodeThenEarlierCodeIsSuperseded() {
        String first = passcodes.issue(linkId).orElseThrow();
        String second = passcodes.issue(linkId).orElseThrow();

        if (!first.equals(second)) {
            assertThat(passcodes.verify(linkId, first)).isEqualTo(new Passcodes.Outcome.Wrong(4));
        }
        assertThat(passcodes.verify(linkId, second)).isInstanceOf(Passcodes.Outcome.Passed.class);
        assertThat(jdbc.sql("select count(*) from otp_code where link_id = ? and state = 'superseded'")
                        .param(linkId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void issueWhenFiveCodesInTheLastHourThenEmptyUntilTheOldestIsAnHourOld() {
        for (int i = 0; i < 5; i++) {
            assertThat(passcodes.issue(linkId)).isPresent();
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(passcodes.issue(linkId)).isEmpty();
        clock.set(START.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(passcodes.issue(linkId)).isPresent();
        assertThat(passcodes.issue(linkId)).isEmpty();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }
}
