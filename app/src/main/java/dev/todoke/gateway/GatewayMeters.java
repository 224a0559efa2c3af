package dev.todoke.gateway;

import dev.todoke.mail.SystemMailException;
import dev.todoke.relay.RelayException;
import dev.todoke.storage.StorageException;
import dev.todoke.transfer.StoredFile;
import dev.todoke.virus.ClamdUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.springframework.dao.DataAccessException;

/**
 * The gateway's meters (docs/observability.md), counted by {@link GatewayFilter} once the reply is
 * known, so that a transaction the upstream MTA retries is counted once per attempt and work of failed
 * attempts (purged later) is never counted as stored:
 *
 * <ul>
 *   <li>{@code todoke.mail.messages}, tagged {@code outcome} ({@code accepted}, {@code refused}, {@code
 *       temp-failed}) and {@code reason} (accepted: {@code rewritten}, {@code unchanged}, {@code retry};
 *       refused: {@code encrypted}, {@code signed}, {@code virus}, {@code unparseable}; temp-failed: {@code relay},
 *       {@code virus-scan},
 *       {@code storage}, {@code database}, {@code system-mail}, {@code spool}, {@code other});
 *   <li>{@code todoke.attachments.stored} and {@code todoke.attachments.stored.bytes} (plaintext size);
 *   <li>{@code todoke.links.issued}: one per external recipient of a rewritten message.
 * </ul>
 *
 * Thread-safe.
 */
final class GatewayMeters {

    private final MeterRegistry registry;
    private final Counter attachments;
    private final Counter bytes;
    private final Counter links;

    GatewayMeters(MeterRegistry registry) {
        this.registry = registry;
        this.attachments = Counter.builder("todoke.attachments.stored")
                .description("Attachments taken out of accepted messages and stored")
                .register(registry);
        this.bytes = Counter.builder("todoke.attachments.stored.bytes")
                .description("Plaintext bytes of the attachments stored")
                .baseUnit("bytes")
                .register(registry);
        this.links = Counter.builder("todoke.links.issued")
                .description("Download links created (one per external recipient)")
                .register(registry);
    }

    void accepted(MailTransaction mail) {
        MailTransaction.Recorded recorded = mail.recorded();
        String reason = mail.isUnchanged() ? "unchanged" : recorded == null ? "retry" : "rewritten";
        messages("accepted", reason).increment();
        if (recorded != null) {
            attachments.increment(recorded.files().size());
            bytes.increment(
                    recorded.files().stream().mapToLong(StoredFile::size).sum());
            links.increment(recorded.linkTokens().size());
        }
    }

    void refused(MailRefusal refusal) {
        String why = refusal.reason();
        String reason = why.startsWith("encrypted")
                ? "encrypted"
                : why.startsWith("signed") ? "signed" : why.startsWith("virus") ? "virus" : "unparseable";
        messages("refused", reason).increment();
    }

    void temporaryFailure(Exception e) {
        String reason = switch (e) {
            case RelayException r -> "relay";
            case ClamdUnavailableException c -> "virus-scan";
            case StorageException s -> "storage";
            case DataAccessException d -> "database";
            case SystemMailException s -> "system-mail";
            case IOException i -> "spool";
            default -> "other";
        };
        messages("temp-failed", reason).increment();
    }

    private Counter messages(String outcome, String reason) {
        return Counter.builder("todoke.mail.messages")
                .description("Mail transactions by SMTP outcome and reason")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
    }
}
