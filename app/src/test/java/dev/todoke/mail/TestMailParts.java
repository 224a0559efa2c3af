package dev.todoke.mail;

import dev.todoke.TodokeProperties;
import dev.todoke.relay.NextHop;
import java.security.SecureRandom;
import java.time.Clock;

/** Real {@link MailSeal} and {@link SystemMail} for tests outside this package ({@code MailProperties} is private here). */
public final class TestMailParts {

    private TestMailParts() {}

    /** A seal whose key is generated into {@code todoke}'s data directory. */
    public static MailSeal seal(TodokeProperties todoke) {
        return new MailSeal(properties(), todoke, new SecureRandom());
    }

    /** System mail from {@code Todoke <todoke@example.jp>} through {@code nextHop}, sealed with {@code seal}. */
    public static SystemMail systemMail(MailSeal seal, NextHop nextHop, Clock clock) {
        return new SystemMail(properties(), seal, nextHop, clock, new SecureRandom());
    }

    private static MailProperties properties() {
        return new MailProperties("Todoke <todoke@example.jp>", "", "");
    }
}
