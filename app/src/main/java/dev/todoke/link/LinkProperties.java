package dev.todoke.link;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long download links live, under {@code todoke.links.}.
 *
 * @param expiry how long a new message's links stay valid (default 7 days)
 * @param maxExpiry the longest any link may live, counted from when the message arrived: caps {@code
 *     expiry} and any later extension by the sender (default 30 days)
 * @param mode {@code standard} (the default) or {@code zero-knowledge}: every link recipient's files are
 *     stored so that the server cannot read them (docs/zero-knowledge.md); the policy action {@code
 *     zero-knowledge} asks for it per rule
 */
@Validated
@ConfigurationProperties("todoke.links")
public record LinkProperties(
        @NotNull @DefaultValue("7d") Duration expiry,
        @NotNull @DefaultValue("30d") Duration maxExpiry,
        @NotNull @DefaultValue("standard") Mode mode) {

    /** How a message's files are stored for its link recipients. */
    public enum Mode {
        /** Encrypted under the server's keys. */
        STANDARD,
        /** Encrypted under a data key the server keeps only wrapped under each recipient's link secret. */
        ZERO_KNOWLEDGE
    }

    /** The standard mode. */
    public LinkProperties(Duration expiry, Duration maxExpiry) {
        this(expiry, maxExpiry, Mode.STANDARD);
    }

    @ConstructorBinding
    public LinkProperties {
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("todoke.links.expiry must be positive, got " + expiry);
        }
        if (maxExpiry.isNegative() || maxExpiry.isZero()) {
            throw new IllegalArgumentException("todoke.links.max-expiry must be positive, got " + maxExpiry);
        }
    }

    /** When links of a message created at {@code createdAt} expire: expiry, capped by max-expiry. */
    public Instant expiresAt(Instant createdAt) {
        return createdAt.plus(expiry.compareTo(maxExpiry) <= 0 ? expiry : maxExpiry);
    }

    /** The latest expiry a sender may set for a message created at {@code createdAt}. */
    public Instant latestExpiry(Instant createdAt) {
        return createdAt.plus(maxExpiry);
    }
}
