package dev.todoke.gateway;

import dev.todoke.MailAddresses;
import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.HoldMails.What;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Holds.Held;
import dev.todoke.transfer.MessageState;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hold mail's one update (docs/hold-and-approval.md): the hold mail lists each recipient's TLS
 * verdict as known when the mail was held; where one was still unknown ({@code tls_pending}), the
 * background check started at arrival usually finishes seconds later. Each scheduler tick looks at such
 * held (or approval) mail: once every external recipient's verdict is known (this replica's cache or the
 * database), or {@code todoke.hold.tls-update-within} after the hold with some still unknown, the sender
 * gets one more hold mail ({@code X-Todoke-Kind: hold}, section {@code tls-update}) with the verdicts as
 * known now, and the row is cleared first (at most once per message, even across replicas). Nothing is sent
 * when no verdict became known. Audited {@code hold-mail-updated}. Thread-safe.
 */
final class HoldTlsUpdates {

    private static final Logger log = LoggerFactory.getLogger(HoldTlsUpdates.class);
    private static final int BATCH = 50;

    private final Holds holds;
    private final HeldNotices notices;
    private final RecipientTls tls;
    private final TodokeProperties todoke;
    private final AuditLog audit;
    private final HoldProperties properties;
    private final Clock clock;

    HoldTlsUpdates(
            Holds holds,
            HeldNotices notices,
            RecipientTls tls,
            TodokeProperties todoke,
            AuditLog audit,
            HoldProperties properties,
            Clock clock) {
        this.holds = holds;
        this.notices = notices;
        this.tls = tls;
        this.todoke = todoke;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** One pass over the held mail waiting for TLS verdicts. */
    void run() {
        for (UUID id : holds.tlsPending(BATCH)) {
            Held held = holds.find(id).orElse(null);
            if (held == null || (held.state() != MessageState.HELD && held.state() != MessageState.APPROVAL)) {
                continue;
            }
            try {
                update(held);
            } catch (RuntimeException | IOException e) {
                log.warn("Could not send the TLS update of held message {}: {}", id, e.toString());
            }
        }
    }

    private void update(Held held) throws IOException {
        Map<String, Optional<String>> byDomain = new HashMap<>();
        Map<String, String> knownNow = new HashMap<>();
        boolean unknown = false;
        for (String recipient : held.recipients()) {
            if (todoke.isInternal(recipient) || MailAddresses.hasRoutedLocalPart(recipient)) {
                continue;
            }
            String domain = MailAddresses.domainOf(recipient).toLowerCase(Locale.ROOT);
            Optional<String> known = byDomain.computeIfAbsent(domain, tls::knownVerdict);
            known.ifPresent(v -> knownNow.put(recipient, v));
            unknown |= known.isEmpty();
        }
        boolean late = !clock.instant().isBefore(held.heldAt().plus(properties.tlsUpdateWithin()));
        if (unknown && !late) {
            return; // looked at again next tick, without reading the blob store
        }
        HoldContext context = notices.context(held);
        Map<String, String> verdicts = new LinkedHashMap<>(HeldNotices.recordedVerdicts(held, context));
        boolean learned = false;
        for (Map.Entry<String, String> e : verdicts.entrySet()) {
            String now = knownNow.get(e.getKey());
            if (now != null) {
                learned |= e.getValue().isEmpty();
                e.setValue(now);
            }
        }
        if (!holds.tlsUpdated(held.messageId()) || !learned) {
            return; // another replica took it, or nothing new to tell
        }
        notices.send(What.TLS_UPDATE, held.envelopeFrom(), held, verdicts, "/s/" + context.manageToken());
        audit.record(
                "hold-mail-updated",
                held.messageId(),
                null,
                held.envelopeFrom(),
                null,
                unknown ? "TLS verdicts, some still unknown" : "TLS verdicts");
    }
}
