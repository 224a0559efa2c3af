package dev.todoke.gateway;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Forced BCC (強制BCC変換), under {@code todoke.bcc.}.
 *
 * @param threshold when a message's To and Cc together hold more than this many distinct external
 *     addresses, every external recipient gets a copy whose header shows only them (To: that
 *     recipient, Cc: only internal addresses, no Bcc); {@code 0} (default) turns it off
 */
@Validated
@ConfigurationProperties("todoke.bcc")
record BccProperties(@PositiveOrZero @DefaultValue("0") int threshold) {

    boolean enabled() {
        return threshold > 0;
    }
}
