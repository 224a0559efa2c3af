package dev.todoke.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy (RFC 8461 section 3.2) as served at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 *
 * @param mode {@code enforce}, {@code testing} or {@code none}
 * @param mx the MX patterns: host names, or {@code *.example.com} for one more label
 * @param maxAge how long senders may cache the policy, in seconds
 */
record MtaStsPolicy(String mode, List<String> mx, long maxAge) {

    static final long MAX_AGE_LIMIT = 31_557_600L;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final Pattern MX_PATTERN =
            Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Whether {@code host} matches one of the policy's mx patterns. */
    boolean matches(String host) {
        return mx.stream().anyMatch(p -> Domains.matchesOneLabelWildcard(p, host));
    }

    /**
     * Parses a policy text.
     *
     * @throws IllegalArgumentException when it is not a valid STSv1 policy, saying why
     */
    static MtaStsPolicy parse(String text) {
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !KEY.matcher(line.substring(0, colon).strip()).matches()) {
                throw new IllegalArgumentException("malformed policy line: " + cut(line));
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> mx.add(value.toLowerCase(Locale.ROOT));
                default -> {
                    // unknown keys are ignored (RFC 8461 section 3.2)
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException("policy version is not STSv1: " + version);
        }
        if (mode == null || !List.of("enforce", "testing", "none").contains(mode)) {
            throw new IllegalArgumentException("policy mode must be enforce, testing or none: " + mode);
        }
        if (maxAge == null || !MAX_AGE.matcher(maxAge).matches() || Long.parseLong(maxAge) > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("policy max_age must be 0 to " + MAX_AGE_LIMIT + ": " + maxAge);
        }
        for (String pattern : mx) {
            if (!MX_PATTERN.matcher(Domains.host(pattern)).matches()) {
                throw new IllegalArgumentException("invalid mx pattern: " + cut(pattern));
            }
        }
        if (mx.isEmpty() && !"none".equals(mode)) {
            throw new IllegalArgumentException("policy in mode " + mode + " has no mx pattern");
        }
        return new MtaStsPolicy(mode, mx, Long.parseLong(maxAge));
    }

    /**
     * The policy id from the TXT records at {@code _mta-sts.<domain>} (RFC 8461 section 3.1): empty when
     * there is no STSv1 record, more than one, or it has no valid id.
     *
     * @param records the TXT records, each with its strings joined
     */
    static Optional<String> txtId(List<String> records) {
        List<String> sts = records.stream().filter(r -> r.startsWith("v=STSv1")).toList();
        if (sts.size() != 1) {
            return Optional.empty();
        }
        String[] fields = sts.get(0).split(";");
        if (!fields[0].strip().equals("v=STSv1")) {
            return Optional.empty();
        }
        for (String field : fields) {
            String f = field.strip();
            if (f.startsWith("id=") && ID.matcher(f.substring(3)).matches()) {
                return Optional.of(f.substring(3));
            }
        }
        return Optional.empty();
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
