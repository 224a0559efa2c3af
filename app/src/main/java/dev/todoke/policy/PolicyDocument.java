package dev.todoke.policy;

import dev.todoke.common.DomainException;
import java.net.IDN;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The policy set as stored: defaults, rules per recipient domain, rules per sender (address, domain or
 * OIDC group), each with a {@link Settings} object (docs/api.md has the JSON schema). {@link #parse}
 * reads it strictly for a {@code PUT} (an unknown key is a mistake: 400 naming its path) and leniently
 * from the database (a key written by a newer version is ignored, so replicas of two versions can run
 * side by side). {@link #toJson} writes the canonical form. Immutable.
 */
record PolicyDocument(Settings defaults, List<DomainRule> recipientDomains, List<SenderRule> senders) {

    /** The TLS actions, as {@code todoke.tls.policy.*} names them. */
    static final List<String> TLS_ACTIONS = List.of("link", "keep-if-verified", "refuse-if-no-tls", "zero-knowledge");

    static final int MAX_RULES = 1000;
    static final Duration MAX_DURATION = Duration.ofDays(365);
    static final Duration MAX_HOLD = Duration.ofDays(7);

    private static final Set<String> TOP_KEYS = Set.of("defaults", "recipientDomains", "senders");
    /** Read-only fields of a {@code GET} answer that a {@code PUT} may send back unchanged. */
    private static final Set<String> READ_ONLY_KEYS = Set.of("version", "updatedAt", "updatedBy");

    private static final Pattern LABELS =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    static final PolicyDocument EMPTY = new PolicyDocument(Settings.NONE, List.of(), List.of());

    PolicyDocument {
        recipientDomains = List.copyOf(recipientDomains);
        senders = List.copyOf(senders);
    }

    boolean isEmpty() {
        return defaults.isEmpty() && recipientDomains.isEmpty() && senders.isEmpty();
    }

    /**
     * What a rule sets; null for a key it leaves to the next level (docs/gateway.md, "Stored policies").
     * New features add their keys here, to {@link #KEYS}, to {@link #parse} and to {@link #write}.
     *
     * @param tls {@code link}, {@code keep-if-verified} or {@code refuse-if-no-tls}
     * @param defaultExpiry how long links of a new message stay valid
     * @param maxExpiry the longest a message's links may live from its arrival (also for the sender's
     *     later changes)
     * @param holdDelay how long matching outbound mail is held before it goes out ({@code PT0S}: not held);
     *     docs/hold-and-approval.md
     * @param approval true: matching outbound mail waits for an approver
     * @param approver who approves matching mail (a mail address)
     * @param selfCheck true: the sender confirms their own matching mail before it goes out
     */
    record Settings(
            String tls,
            Duration defaultExpiry,
            Duration maxExpiry,
            Duration holdDelay,
            Boolean approval,
            String approver,
            Boolean selfCheck) {

        static final Settings NONE = new Settings(null, null, null, null, null, null, null);
        static final Set<String> KEYS =
                Set.of("tls", "defaultExpiry", "maxExpiry", "holdDelay", "approval", "approver", "selfCheck");

        boolean isEmpty() {
            return equals(NONE);
        }
    }

    /** A rule for recipients at {@code domain}: {@code example.com}, {@code *.example.com} or {@code *}. */
    record DomainRule(String domain, Settings settings) {

        boolean matches(String recipientDomain) {
            return matchesDomain(domain, recipientDomain);
        }
    }

    /** A rule for senders: exactly one of address, domain ({@code *.} allowed) and group is set. */
    record SenderRule(String address, String domain, String group, Settings settings) {

        boolean matches(String senderAddress, String senderDomain, Set<String> groups) {
            if (address != null) {
                return address.equals(senderAddress);
            }
            if (domain != null) {
                return matchesDomain(domain, senderDomain);
            }
            return groups.contains(group);
        }

        String describe() {
            return address != null ? "address " + address : domain != null ? "domain " + domain : "group " + group;
        }
    }

    static boolean matchesDomain(String pattern, String domain) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            return domain.endsWith(pattern.substring(1));
        }
        return domain.equals(pattern);
    }

    // --- reading ---------------------------------------------------------------------------------------

    /**
     * Reads a document.
     *
     * @param strict true for input from a client: unknown keys are refused; false for stored documents
     * @throws DomainException {@code invalid-policy} with {@code path} and {@code message}
     */
    static PolicyDocument parse(JsonNode node, boolean strict) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw invalid("", "must be a JSON object");
        }
        if (strict) {
            for (String key : node.propertyNames()) {
                if (!TOP_KEYS.contains(key) && !READ_ONLY_KEYS.contains(key)) {
                    throw invalid(key, "unknown key (allowed: defaults, recipientDomains, senders)");
                }
            }
        }
        Settings defaults = settings(node.get("defaults"), "defaults", strict);
        List<DomainRule> domains = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode rule : array(node.get("recipientDomains"), "recipientDomains")) {
            String path = "recipientDomains[" + i++ + "]";
            object(rule, path, strict, Set.of("domain", "settings"));
            String domain = domainPattern(text(rule.get("domain"), path + ".domain"), path + ".domain");
            if (!seen.add(domain)) {
                throw invalid(path + ".domain", "the domain " + domain + " has a rule already");
            }
            domains.add(new DomainRule(domain, settings(rule.get("settings"), path + ".settings", strict)));
        }
        List<SenderRule> senders = new ArrayList<>();
        seen.clear();
        i = 0;
        for (JsonNode rule : array(node.get("senders"), "senders")) {
            String path = "senders[" + i++ + "]";
            object(rule, path, strict, Set.of("address", "domain", "group", "settings"));
            int kinds = (rule.hasNonNull("address") ? 1 : 0)
                    + (rule.hasNonNull("domain") ? 1 : 0)
                    + (rule.hasNonNull("group") ? 1 : 0);
            if (kinds != 1) {
                throw invalid(path, "exactly one of address, domain and group is required");
            }
            String address = null;
            String domain = null;
            String group = null;
            if (rule.hasNonNull("address")) {
                address = address(text(rule.get("address"), path + ".address"), path + ".address");
            } else if (rule.hasNonNull("domain")) {
                domain = domainPattern(text(rule.get("domain"), path + ".domain"), path + ".domain");
            } else {
                group = text(rule.get("group"), path + ".group").strip();
                if (group.isEmpty() || group.length() > 255) {
                    throw invalid(path + ".group", "must be 1 to 255 characters");
                }
            }
            SenderRule parsed =
                    new SenderRule(address, domain, group, settings(rule.get("settings"), path + ".settings", strict));
            if (!seen.add(parsed.describe())) {
                throw invalid(path, "the sender " + parsed.describe() + " has a rule already");
            }
            senders.add(parsed);
        }
        return new PolicyDocument(defaults, domains, senders);
    }

    private static Settings settings(JsonNode node, String path, boolean strict) {
        if (node == null || node.isNull()) {
            return Settings.NONE;
        }
        object(node, path, strict, Settings.KEYS);
        String tls = null;
        if (node.hasNonNull("tls")) {
            tls = text(node.get("tls"), path + ".tls");
            if (!TLS_ACTIONS.contains(tls)) {
                if (strict) {
                    throw invalid(path + ".tls", "must be one of " + String.join(", ", TLS_ACTIONS));
                }
                tls = null;
            }
        }
        Duration defaultExpiry = duration(node.get("defaultExpiry"), path + ".defaultExpiry");
        Duration maxExpiry = duration(node.get("maxExpiry"), path + ".maxExpiry");
        if (defaultExpiry != null && maxExpiry != null && defaultExpiry.compareTo(maxExpiry) > 0) {
            throw invalid(path + ".defaultExpiry", "must not be longer than maxExpiry");
        }
        Duration holdDelay = holdDelay(node.get("holdDelay"), path + ".holdDelay");
        String approver = node.hasNonNull("approver")
                ? address(text(node.get("approver"), path + ".approver"), path + ".approver")
                : null;
        return new Settings(
                tls,
                defaultExpiry,
                maxExpiry,
                holdDelay,
                flag(node.get("approval"), path + ".approval"),
                approver,
                flag(node.get("selfCheck"), path + ".selfCheck"));
    }

    /** A hold delay: zero (not held) up to {@link #MAX_HOLD}. */
    private static Duration holdDelay(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            Duration d = Duration.parse(text(node, path).strip());
            if (!d.isNegative() && d.compareTo(MAX_HOLD) <= 0) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw invalid(path, "must be an ISO-8601 duration from PT0S (not held) to P7D, such as PT5M");
    }

    private static Boolean flag(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw invalid(path, "must be true or false");
        }
        return node.booleanValue();
    }

    private static Duration duration(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.parse(text(node, path).strip());
        } catch (DateTimeParseException e) {
            throw invalid(path, "must be an ISO-8601 duration such as P7D or PT12H");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw invalid(path, "must be positive and at most P365D");
        }
        return d;
    }

    private static void object(JsonNode node, String path, boolean strict, Set<String> keys) {
        if (!node.isObject()) {
            throw invalid(path, "must be a JSON object");
        }
        if (strict) {
            for (String key : node.propertyNames()) {
                if (!keys.contains(key)) {
                    throw invalid(
                            path.isEmpty() ? key : path + "." + key,
                            "unknown key (allowed: "
                                    + String.join(", ", keys.stream().sorted().toList()) + ")");
                }
            }
        }
    }

    private static List<JsonNode> array(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(path, "must be a JSON array");
        }
        if (node.size() > MAX_RULES) {
            throw invalid(path, "at most " + MAX_RULES + " rules");
        }
        List<JsonNode> list = new ArrayList<>();
        node.forEach(list::add);
        return list;
    }

    private static String text(JsonNode node, String path) {
        if (node == null || !node.isString()) {
            throw invalid(path, "must be a string");
        }
        return node.asString();
    }

    private static String domainPattern(String value, String path) {
        String d = value.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.equals("*")) {
            return d;
        }
        boolean wildcard = d.startsWith("*.");
        String name = wildcard ? d.substring(2) : d;
        try {
            name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(path, "not a domain name: " + value);
        }
        if (name.length() > 253 || !LABELS.matcher(name).matches()) {
            throw invalid(path, "not a domain name (use example.com, *.example.com or *): " + value);
        }
        return wildcard ? "*." + name : name;
    }

    private static String address(String value, String path) {
        String a = value.strip().toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || a.length() > 512 || a.chars().anyMatch(c -> c <= ' ')) {
            throw invalid(path, "not a mail address: " + value);
        }
        return a.substring(0, at + 1) + domainPattern(a.substring(at + 1), path);
    }

    private static DomainException invalid(String path, String message) {
        return new DomainException(
                DomainException.Kind.INVALID, "invalid-policy", Map.of("path", path, "message", message));
    }

    // --- writing ---------------------------------------------------------------------------------------

    /** The canonical JSON: every list and the defaults present, unset settings left out. */
    ObjectNode toJson(JsonMapper json) {
        ObjectNode root = json.createObjectNode();
        root.set("defaults", write(defaults, json));
        ArrayNode domains = root.putArray("recipientDomains");
        for (DomainRule rule : recipientDomains) {
            ObjectNode r = domains.addObject();
            r.put("domain", rule.domain());
            r.set("settings", write(rule.settings(), json));
        }
        ArrayNode list = root.putArray("senders");
        for (SenderRule rule : senders) {
            ObjectNode r = list.addObject();
            if (rule.address() != null) {
                r.put("address", rule.address());
            } else if (rule.domain() != null) {
                r.put("domain", rule.domain());
            } else {
                r.put("group", rule.group());
            }
            r.set("settings", write(rule.settings(), json));
        }
        return root;
    }

    private static ObjectNode write(Settings settings, JsonMapper json) {
        ObjectNode node = json.createObjectNode();
        if (settings.tls() != null) {
            node.put("tls", settings.tls());
        }
        if (settings.defaultExpiry() != null) {
            node.put("defaultExpiry", iso(settings.defaultExpiry()));
        }
        if (settings.maxExpiry() != null) {
            node.put("maxExpiry", iso(settings.maxExpiry()));
        }
        if (settings.holdDelay() != null) {
            node.put("holdDelay", settings.holdDelay().toString());
        }
        if (settings.approval() != null) {
            node.put("approval", settings.approval());
        }
        if (settings.approver() != null) {
            node.put("approver", settings.approver());
        }
        if (settings.selfCheck() != null) {
            node.put("selfCheck", settings.selfCheck());
        }
        return node;
    }

    /** {@code P7D} for whole days (as people write them), else {@link Duration#toString()} ({@code PT12H}). */
    static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.getNano() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
