package dev.todoke.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Looking inside the files, under {@code todoke.inspection.} (docs/inspection.md).
 *
 * @param encryptedFiles what a password-protected file (PPAP) leads to: {@code refuse} (554 5.7.1),
 *     {@code hold} (as {@code warn}, and the mail waits for approval), {@code warn} (default: the receipt names
 *     the files), {@code log} (audit and log only) or {@code off} (not looked at)
 * @param maxScanSize how much of one file (and of one file inside a ZIP) is read at most to find out
 * @param scanTimeout how long one file is looked at, at most
 * @param archiveLimits what an archive that breaks a decompression limit leads to (default {@code refuse})
 * @param maxExpandedSize how many bytes the ZIP entries of one attachment may expand to, in all
 * @param maxRatio how many times its compressed size an attachment's ZIP entries may expand to
 * @param maxDepth how many levels of ZIPs inside a ZIP are looked into; one more is a finding
 * @param maxExtractSize files larger than this are not text-scanned for personal data
 * @param maxExtractChars characters of one text (body or file) looked at, at most
 * @param extractTimeout how long the text of one body or file is looked at, at most
 * @param extractThreads how many texts are looked at at the same time, at most
 * @param dlp personal and payment data: {@code todoke.inspection.dlp.}
 */
@Validated
@ConfigurationProperties("todoke.inspection")
record InspectionProperties(
        @NotNull @DefaultValue("warn") Action encryptedFiles,
        @NotNull @DefaultValue("100MB") DataSize maxScanSize,
        @NotNull @DefaultValue("10s") Duration scanTimeout,
        @NotNull @DefaultValue("refuse") Action archiveLimits,
        @NotNull @DefaultValue("1GB") DataSize maxExpandedSize,
        @DefaultValue("100") int maxRatio,
        @DefaultValue("3") int maxDepth,
        @NotNull @DefaultValue("50MB") DataSize maxExtractSize,
        @DefaultValue("10000000") long maxExtractChars,
        @NotNull @DefaultValue("30s") Duration extractTimeout,
        @DefaultValue("2") int extractThreads,
        @Valid @NotNull @DefaultValue Dlp dlp) {

    /** What a finding leads to. */
    enum Action {
        REFUSE,
        /** As {@link #WARN}, and the mail waits for approval ({@code HoldStep}). */
        HOLD,
        WARN,
        LOG,
        OFF
    }

    /**
     * Personal and payment data, under {@code todoke.inspection.dlp.}.
     *
     * @param myNumber what a My Number (個人番号, with a correct check digit) leads to (default {@code warn})
     * @param cardNumber what a card number (Luhn, known issuer) leads to (default {@code warn})
     * @param rules the administrator's keywords and patterns
     */
    record Dlp(
            @NotNull @DefaultValue("warn") Action myNumber,
            @NotNull @DefaultValue("warn") Action cardNumber,
            @NotNull @DefaultValue List<@Valid Rule> rules) {

        Dlp {
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    /**
     * One administrator's rule, {@code todoke.inspection.dlp.rules[n].}.
     *
     * @param name shown in receipts, logs, the audit log and refusals: ASCII letters, digits, {@code
     *     ._-}, at most 40
     * @param pattern a Java regular expression (a keyword is one; {@code \Q...\E} quotes), matched per line
     * @param action what a match leads to (default {@code warn})
     */
    record Rule(
            String name,
            String pattern,
            @NotNull @DefaultValue("warn") Action action) {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,40}");

        Rule {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("todoke.inspection.dlp.rules[].name must be 1 to 40 of"
                        + " A-Z a-z 0-9 . _ - (it appears in SMTP replies), not: " + name);
            }
            if (pattern == null || pattern.isEmpty()) {
                throw new IllegalArgumentException("todoke.inspection.dlp.rules[] " + name + ": pattern is empty");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "todoke.inspection.dlp.rules[] " + name + ": not a regular expression: " + e.getDescription(),
                        e);
            }
        }

        Pattern compiled() {
            return Pattern.compile(pattern);
        }
    }

    InspectionProperties {
        if (maxScanSize != null && maxScanSize.toBytes() <= 0) {
            throw new IllegalArgumentException("todoke.inspection.max-scan-size must be positive");
        }
        if (scanTimeout != null && (scanTimeout.isZero() || scanTimeout.isNegative())) {
            throw new IllegalArgumentException("todoke.inspection.scan-timeout must be positive");
        }
        if ((maxExpandedSize != null && maxExpandedSize.toBytes() <= 0) || maxRatio <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException(
                    "todoke.inspection.max-expanded-size, max-ratio and max-depth must be positive");
        }
        if ((maxExtractSize != null && maxExtractSize.toBytes() <= 0) || maxExtractChars <= 0 || extractThreads <= 0) {
            throw new IllegalArgumentException(
                    "todoke.inspection.max-extract-size, max-extract-chars and extract-threads must be positive");
        }
        if (extractTimeout != null && (extractTimeout.isZero() || extractTimeout.isNegative())) {
            throw new IllegalArgumentException("todoke.inspection.extract-timeout must be positive");
        }
        if (dlp != null) {
            long distinct = dlp.rules().stream().map(Rule::name).distinct().count();
            if (distinct != dlp.rules().size()) {
                throw new IllegalArgumentException("todoke.inspection.dlp.rules[].name must be unique");
            }
        }
    }

    /** The defaults, with this policy for password-protected files (tests). */
    static InspectionProperties withEncryptedFiles(Action action) {
        return new InspectionProperties(
                action,
                DataSize.ofMegabytes(100),
                Duration.ofSeconds(10),
                Action.REFUSE,
                DataSize.ofGigabytes(1),
                100,
                3,
                DataSize.ofMegabytes(50),
                10_000_000,
                Duration.ofSeconds(30),
                2,
                new Dlp(Action.WARN, Action.WARN, List.of()));
    }
}
