package dev.todoke.policy;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The policy store, under {@code todoke.policy.}.
 *
 * @param refresh how long a replica uses its copy of the stored policy set before it compares the stored
 *     version again (one primary-key read); {@code 0} compares on every mail. A change made through this
 *     replica applies to its next mail at once, on the others within this time. At most 10 s.
 */
@Validated
@ConfigurationProperties("todoke.policy")
record PolicyProperties(@NotNull @DefaultValue("1s") Duration refresh) {

    PolicyProperties {
        if (refresh.isNegative() || refresh.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("todoke.policy.refresh must be between 0 and 10s, got " + refresh);
        }
    }
}
