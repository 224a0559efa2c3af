package dev.todoke.policy;

import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The policies administrators store in the database, effective on every replica without a restart
 * (docs/adr/0090). The mail path asks {@link #current()}, which compares the stored version with its
 * copy at most every {@code todoke.policy.refresh} (1 s) and reloads the set when it changed; the admin
 * API and console {@link #read()} the whole set with its ETag and {@link #replace} it (If-Match on that
 * ETag; validated; audited {@code policy-changed} through {@link AuditLog#recordChange} with before and
 * after).
 *
 * <p>Thread-safe. Database failures are Spring {@code DataAccessException}s (on the mail path: 451).
 */
@Component
public class PolicyStore {

    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"(\\d+)\"");

    private final PolicyRows rows;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonMapper json;
    private final long refreshNanos;

    private volatile Policies cached;
    private volatile long checkedAt;

    PolicyStore(PolicyRows rows, AuditLog audit, Clock clock, PolicyProperties properties) {
        this.rows = rows;
        this.audit = audit;
        this.clock = clock;
        this.json = JsonMapper.builder().build();
        this.refreshNanos = properties.refresh().toNanos();
    }

    /**
     * The stored set as a JSON document with its version.
     *
     * @param version the version (0: nothing stored yet)
     * @param etag the strong ETag of this version, for {@code If-Match}: {@code "7"}
     * @param document the set in its canonical form plus the read-only {@code version}, {@code updatedAt}
     *     and {@code updatedBy} (docs/api.md)
     */
    public record Snapshot(long version, String etag, ObjectNode document) {}

    /** The policy set the mail path applies now; never older than {@code todoke.policy.refresh}. */
    public Policies current() {
        Policies copy = cached;
        long now = System.nanoTime();
        if (copy != null && now - checkedAt < refreshNanos) {
            return copy;
        }
        long version = rows.version();
        if (copy == null || copy.version() != version) {
            PolicyRows.Stored stored = rows.read();
            copy = new Policies(stored.version(), parseStored(stored.document()));
            cached = copy;
        }
        checkedAt = now;
        return copy;
    }

    /** The OIDC groups of a sender as of their last sign-in (empty when unknown). */
    public Set<String> groupsOf(String sender) {
        return sender == null || sender.isBlank() ? Set.of() : rows.groups(sender);
    }

    /**
     * Records a sender's OIDC groups at sign-in, so that sender rules naming a group apply to their mail.
     *
     * @param address the verified {@code email} claim
     */
    public void rememberGroups(String address, Collection<String> groups) {
        rows.rememberGroups(address, groups, clock.instant());
    }

    /** The manager of a sender as of their last sign-in (empty when unknown or not a mail address). */
    public Optional<String> managerOf(String sender) {
        return sender == null || sender.isBlank() ? Optional.empty() : rows.manager(sender);
    }

    /**
     * Records what a sign-in says about a sender: their OIDC groups (sender rules naming a group apply to
     * their mail) and their manager (the approver of their mail when no rule names one;
     * docs/hold-and-approval.md), both replaced at every sign-in.
     *
     * @param address the verified {@code email} claim
     * @param manager the manager's mail address from the manager claim; null when the claim is absent
     */
    @Transactional
    public void rememberSignIn(String address, Collection<String> groups, String manager) {
        Instant now = clock.instant();
        rows.rememberGroups(address, groups, now);
        rows.rememberManager(address, manager, now);
    }

    /** The whole stored set with its ETag. */
    public Snapshot read() {
        return snapshot(rows.read());
    }

    /**
     * Replaces the whole set.
     *
     * @param ifMatch the request's {@code If-Match}: the ETag of the version the change is based on ({@code
     *     *} for whatever is stored)
     * @param body the new set as JSON (docs/api.md); the read-only fields of a {@code GET} are ignored
     * @param actor who changes it, as the audit names actors ({@code AuditLog.admin("alice")}: {@code
     *     admin:alice}); also kept as {@code updatedBy}
     * @param clientIp for the audit
     * @return the new set
     * @throws DomainException {@code if-match-required} (428) without {@code ifMatch}; {@code
     *     policy-changed} (412) when the set is no longer at that version; {@code invalid-policy} (400,
     *     with {@code path} and {@code message}) for a set that does not validate
     */
    @Transactional
    public Snapshot replace(String ifMatch, String body, String actor, String clientIp) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new DomainException(Kind.PRECONDITION_REQUIRED, "if-match-required");
        }
        PolicyRows.Stored before = rows.read();
        if (!matches(ifMatch, before.version())) {
            throw changed(before.version());
        }
        JsonNode node;
        try {
            node = json.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw new DomainException(
                    Kind.INVALID, "invalid-policy", Map.of("path", "", "message", "not a JSON document"));
        }
        if (node == null || node.isMissingNode()) {
            throw new DomainException(
                    Kind.INVALID, "invalid-policy", Map.of("path", "", "message", "a JSON object is required"));
        }
        PolicyDocument document = PolicyDocument.parse(node, true);
        String canonical = json.writeValueAsString(document.toJson(json));
        Instant now = clock.instant();
        long version =
                rows.replace(before.version(), canonical, now, actor).orElseThrow(() -> changed(before.version() + 1));
        audit.recordChange(
                actor,
                "policy-changed",
                "policies version " + before.version() + " -> " + version,
                clientIp,
                before.document() == null ? PolicyDocument.EMPTY.toJson(json) : json.readTree(before.document()),
                json.readTree(canonical));
        cached = new Policies(version, document);
        checkedAt = System.nanoTime();
        return snapshot(new PolicyRows.Stored(version, canonical, now, actor));
    }

    private Snapshot snapshot(PolicyRows.Stored stored) {
        ObjectNode document = parseStored(stored.document()).toJson(json);
        document.put("version", stored.version());
        document.put(
                "updatedAt",
                stored.updatedAt() == null ? null : stored.updatedAt().toString());
        document.put("updatedBy", stored.updatedBy());
        return new Snapshot(stored.version(), etag(stored.version()), document);
    }

    private PolicyDocument parseStored(String document) {
        if (document == null) {
            return PolicyDocument.EMPTY;
        }
        return PolicyDocument.parse(json.readTree(document), false);
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Whether an If-Match value (one ETag, a list, or {@code *}) names this version. */
    static boolean matches(String ifMatch, long version) {
        if (ifMatch.strip().equals("*")) {
            return true;
        }
        Matcher m = ETAG.matcher(ifMatch);
        while (m.find()) {
            if (m.group(1).equals(Long.toString(version))) {
                return true;
            }
        }
        return false;
    }

    private static DomainException changed(long version) {
        return new DomainException(Kind.STALE, "policy-changed", Map.of("currentVersion", version));
    }
}
