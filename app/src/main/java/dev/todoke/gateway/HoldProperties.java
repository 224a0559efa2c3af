package dev.todoke.gateway;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Hold (一時保留), approval (上長承認) and self-check (自己承認), under {@code todoke.hold.}
 * (docs/hold-and-approval.md). Durations are ISO-8601 ({@code PT2M}) or Spring's form ({@code 2m}).
 *
 * @param delay how long outbound mail with external recipients waits before it is sent, while the sender
 *     may cancel it or send it at once; {@code 0} (default) turns holding off
 * @param attachmentsOnly hold only mail with attachments
 * @param newDomainsOnly hold only mail to a recipient domain never mailed before
 * @param pollInterval how often the release scheduler looks for due mail (on one replica per interval)
 * @param claimLease how long a replica may take to send one released message before another may take it
 *     over (longer than a release takes)
 * @param retryFirst the first wait after the next hop failed a release; doubled per attempt
 * @param retryMax the longest wait between attempts
 * @param releaseGiveUp after failing this long, a release is given up and the sender told
 *     ({@code X-Todoke-Kind: release-failed})
 * @param tlsUpdateWithin when the hold mail listed a recipient whose TLS verdict was not known yet, the
 *     sender gets one updated hold mail once every verdict is known; after this long (from the hold) with
 *     some still unknown, the update goes out with what is known then (or not at all when nothing became
 *     known)
 * @param approval the rules that send mail to an approver instead
 * @param selfCheck the rules that make the sender confirm their own held mail
 */
@Validated
@ConfigurationProperties("todoke.hold")
record HoldProperties(
        @NotNull @DefaultValue("0") Duration delay,
        @DefaultValue("false") boolean attachmentsOnly,
        @DefaultValue("false") boolean newDomainsOnly,
        @NotNull @DefaultValue("PT5S") Duration pollInterval,
        @NotNull @DefaultValue("PT2M") Duration claimLease,
        @NotNull @DefaultValue("PT1M") Duration retryFirst,
        @NotNull @DefaultValue("PT30M") Duration retryMax,
        @NotNull @DefaultValue("P1D") Duration releaseGiveUp,
        @NotNull @DefaultValue("PT10M") Duration tlsUpdateWithin,
        @NotNull @DefaultValue Approval approval,
        @NotNull @DefaultValue SelfCheck selfCheck) {

    HoldProperties {
        for (Duration d :
                new Duration[] {pollInterval, claimLease, retryFirst, retryMax, releaseGiveUp, tlsUpdateWithin}) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new IllegalArgumentException("todoke.hold.* intervals must be positive, got " + d);
            }
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("todoke.hold.delay must not be negative");
        }
    }

    /** Whether holding by time is on. */
    boolean holding() {
        return !delay.isZero();
    }

    /** The wait before attempt {@code attempts + 1} after {@code attempts} failures. */
    Duration backOff(int attempts) {
        Duration wait = retryFirst.multipliedBy(1L << Math.min(attempts, 20));
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }

    /** What happens to mail nobody approved or rejected in time. */
    enum TimeoutAction {
        REJECT,
        RELEASE
    }

    /** The TLS verdict codes a {@code tls-verdicts} approval rule may name. */
    static final List<String> TLS_VERDICTS = List.of("tls-verified", "tls", "no-tls", "unreachable", "no-mx");

    /**
     * Approval rules (any one sends the mail to approval) and approvers.
     *
     * @param externalRecipientsOver more than this many external recipients; {@code 0} (default) off
     * @param newDomains a recipient domain never mailed before
     * @param senders envelope senders (addresses, or domains matching every address in them) whose
     *     external mail always needs approval
     * @param tlsVerdicts an external recipient domain with one of these TLS verdicts ({@code no-tls}, {@code
     *     unreachable}, {@code no-mx}, {@code tls}, {@code tls-verified}); empty (default) off
     * @param tlsWait how long the gateway waits for a verdict the {@code tls-verdicts} rule needs (the SMTP
     *     reply waits too); a verdict still unknown then does not count
     * @param approvers the approver per sender address or sender domain
     * @param groupApprovers the approver per OIDC group of the sender (as recorded at their last sign-in)
     * @param manager whether the sender's manager (recorded at their last OIDC sign-in) approves their mail
     *     when no address or group rule names an approver (default true)
     * @param defaultApprover the approver for senders without one; when none is found, the sender confirms
     *     the mail themselves (self-check)
     * @param timeout how long an approver has
     * @param timeoutAction {@code reject} (default) or {@code release} when the time is up
     * @param reminder how often the approver is reminded while the mail waits
     */
    record Approval(
            @PositiveOrZero @DefaultValue("0") int externalRecipientsOver,
            @DefaultValue("false") boolean newDomains,
            @NotNull @DefaultValue List<String> senders,
            @NotNull @DefaultValue List<String> tlsVerdicts,
            @NotNull @DefaultValue("3s") Duration tlsWait,
            @NotNull @DefaultValue Map<String, String> approvers,
            @NotNull @DefaultValue Map<String, String> groupApprovers,
            @DefaultValue("true") boolean manager,
            String defaultApprover,
            @NotNull @DefaultValue("P1D") Duration timeout,
            @NotNull @DefaultValue("reject") TimeoutAction timeoutAction,
            @NotNull @DefaultValue("PT4H") Duration reminder) {

        Approval {
            if (tlsVerdicts != null) {
                tlsVerdicts = tlsVerdicts.stream()
                        .map(v -> v.strip().toLowerCase(Locale.ROOT))
                        .toList();
                for (String v : tlsVerdicts) {
                    if (!TLS_VERDICTS.contains(v)) {
                        throw new IllegalArgumentException("todoke.hold.approval.tls-verdicts: unknown verdict " + v
                                + " (one of " + String.join(", ", TLS_VERDICTS) + ")");
                    }
                }
            }
            if (tlsWait != null && (tlsWait.isNegative() || tlsWait.compareTo(Duration.ofSeconds(30)) > 0)) {
                throw new IllegalArgumentException("todoke.hold.approval.tls-wait must be 0 to 30 seconds");
            }
        }

        /** The configured approver by sender address. */
        Optional<String> byAddress(String sender) {
            return lookup(approvers, sender.toLowerCase(Locale.ROOT));
        }

        /** The configured approver by sender domain. */
        Optional<String> byDomain(String sender) {
            String address = sender.toLowerCase(Locale.ROOT);
            return lookup(approvers, address.substring(address.lastIndexOf('@') + 1));
        }

        /** The configured approver of the first of the sender's groups that has one (in configuration order). */
        Optional<String> byGroup(java.util.Set<String> groups) {
            return groupApprovers.entrySet().stream()
                    .filter(e -> groups.contains(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }

        private static Optional<String> lookup(Map<String, String> map, String key) {
            return map.entrySet().stream()
                    .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(key))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }
    }

    /**
     * Self-check: the sender confirms their own held mail on the hold page; it is never sent by time.
     *
     * @param senders envelope senders (addresses or domains) whose external mail waits for them
     * @param timeout after this long unconfirmed, the mail is cancelled and the sender told
     */
    record SelfCheck(
            @NotNull @DefaultValue List<String> senders,
            @NotNull @DefaultValue("P3D") Duration timeout) {}

    /** Whether {@code sender} is one of {@code entries} (an address, or a domain of the address). */
    static boolean matches(List<String> entries, String sender) {
        String address = sender.toLowerCase(Locale.ROOT);
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return entries.stream()
                .map(e -> e.strip().toLowerCase(Locale.ROOT))
                .anyMatch(e -> e.equals(address) || e.equals(domain));
    }
}
