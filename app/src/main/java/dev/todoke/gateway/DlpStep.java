package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.InspectionProperties.Action;
import dev.todoke.gateway.InspectionProperties.Rule;
import dev.todoke.inspection.PersonalData;
import dev.todoke.inspection.TextFindings;
import dev.todoke.inspection.TextFindings.Coverage;
import dev.todoke.inspection.TextFindings.Hits;
import dev.todoke.mime.Attachment;
import dev.todoke.mime.TextBody;
import dev.todoke.smtp.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for personal and payment data (DLP) in the mail's text bodies and attachments (see {@link
 * PersonalData}) and acts per detector: {@code todoke.inspection.dlp.my-number}, {@code card-number} and
 * each {@code rules[n].action}. {@code refuse} answers 554 5.7.1 in ASCII naming the detectors, counts and
 * places; {@code warn} and {@code hold} put counts and lines in the receipt ({@code hold} also sends the mail to
 * approval, {@link HoldStep})
 * and a value in its {@code X-Todoke-Finding} header ({@code my-number}, {@code card-number}, {@code
 * dlp-rule}); {@code log} only audits. Every finding is audited ({@code personal-data}) and logged, as
 * counts and places: what was found never leaves {@link PersonalData}. Files whose text was not (fully)
 * scanned are named in the receipt. Runs after {@link InspectionStep}, before anything is stored.
 * Thread-safe. Failure: a spool error is an {@link IOException}.
 */
final class DlpStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(DlpStep.class);

    private final PersonalData personalData;
    private final Map<String, Action> actions;
    private final Map<String, String> headerValues;
    private final String maxExtractSize;
    private final AuditLog audit;

    DlpStep(InspectionProperties properties, PersonalData personalData, AuditLog audit) {
        this.personalData = personalData;
        this.audit = audit;
        this.actions = new LinkedHashMap<>();
        this.headerValues = new LinkedHashMap<>();
        actions.put(TextFindings.MY_NUMBER, properties.dlp().myNumber());
        headerValues.put(TextFindings.MY_NUMBER, "my-number");
        actions.put(TextFindings.CARD_NUMBER, properties.dlp().cardNumber());
        headerValues.put(TextFindings.CARD_NUMBER, "card-number");
        for (Rule rule : properties.dlp().rules()) {
            actions.put(rule.name(), rule.action());
            headerValues.put(rule.name(), "dlp-rule");
        }
        this.maxExtractSize = NoticeTexts.size(properties.maxExtractSize().toBytes());
    }

    /** The detectors to run: the built-in ones and rules whose action is not {@code off}. */
    static PersonalData personalData(InspectionProperties properties) {
        Map<String, java.util.regex.Pattern> rules = new LinkedHashMap<>();
        for (Rule rule : properties.dlp().rules()) {
            if (rule.action() != Action.OFF) {
                rules.put(rule.name(), rule.compiled());
            }
        }
        return new PersonalData(
                properties.dlp().myNumber() != Action.OFF,
                properties.dlp().cardNumber() != Action.OFF,
                rules,
                new PersonalData.Limits(
                        properties.maxExtractSize().toBytes(),
                        properties.maxExtractChars(),
                        properties.extractTimeout(),
                        properties.extractThreads()));
    }

    /** Where something was found: a body or a file, by number, for logs and replies; and for the receipt. */
    private record Place(String label, String receiptLabel, TextFindings findings) {}

    /** @throws MailRefusal 5.7.1 when a detector whose action is refuse found something */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal, IOException {
        if (!personalData.active()) {
            return Next.CONTINUE;
        }
        List<Place> places = new ArrayList<>();
        for (TextBody body : mail.parsed().textBodies()) {
            try (InputStream in = body.openDecoded()) {
                TextFindings findings = personalData.scanBody(in, body.charset(), body.html());
                int n = body.ordinal() + 1;
                places.add(new Place("body " + n, "本文 " + n + " / body " + n, findings));
                if (findings.coverage().incomplete()) {
                    mail.inspection().notScanned("本文 " + n + " / body " + n, why(findings.coverage()));
                }
            }
        }
        for (Attachment attachment : mail.parsed().attachments()) {
            try (InputStream in = attachment.openDecoded()) {
                TextFindings findings = personalData.scanFile(in);
                places.add(new Place("file " + (attachment.ordinal() + 1), attachment.fileName(), findings));
                if (findings.coverage().incomplete()) {
                    mail.inspection().notScanned(attachment.fileName(), why(findings.coverage()));
                    log.info(
                            "DLP: file {} not fully text-scanned ({}) from client {}",
                            attachment.ordinal() + 1,
                            findings.coverage().name().toLowerCase(Locale.ROOT),
                            mail.envelope().clientAddress());
                }
            }
        }
        Map<String, List<String>> byDetector = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Place place : places) {
            place.findings().hits().forEach((detector, hits) -> {
                counts.merge(detector, hits.count(), Integer::sum);
                byDetector.computeIfAbsent(detector, d -> new ArrayList<>()).add(place.label() + lines(hits));
            });
        }
        if (counts.isEmpty()) {
            return Next.CONTINUE;
        }
        String what = counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + " [" + String.join("; ", byDetector.get(e.getKey())) + "] "
                        + actions.get(e.getKey()).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        Envelope envelope = mail.envelope();
        audit.record("personal-data", null, null, envelope.sender(), envelope.clientAddress(), what);
        log.info("DLP: {} from client {}", what, envelope.clientAddress());
        List<String> refused = counts.entrySet().stream()
                .filter(e -> actions.get(e.getKey()) == Action.REFUSE)
                .map(e -> e.getKey() + " " + e.getValue() + " in " + String.join(", ", places(places, e.getKey())))
                .toList();
        if (!refused.isEmpty()) {
            throw new MailRefusal(
                    "5.7.1",
                    "Personal or payment data refused (" + String.join("; ", refused)
                            + "): remove it, or ask your administrator",
                    "personal data refused");
        }
        for (Place place : places) {
            place.findings().hits().forEach((detector, hits) -> {
                Action action = actions.get(detector);
                if (action == Action.WARN || action == Action.HOLD) {
                    mail.inspection().personalData(place.receiptLabel(), detector + " " + hits.count() + lines(hits));
                    mail.inspection().finding(headerValues.get(detector));
                }
                if (action == Action.HOLD) {
                    mail.requireApproval("personal data (" + detector + ")");
                }
            });
        }
        return Next.CONTINUE;
    }

    private static List<String> places(List<Place> places, String detector) {
        return places.stream()
                .filter(p -> p.findings().hits().containsKey(detector))
                .map(Place::label)
                .toList();
    }

    /** {@code (line 3)}, {@code (lines 3, 7, ...)}: the first lines, never the text. */
    private static String lines(Hits hits) {
        String shown = hits.lines().stream().distinct().map(String::valueOf).collect(Collectors.joining(", "));
        boolean more = hits.count() > hits.lines().size();
        boolean one = hits.lines().stream().distinct().count() == 1 && !more;
        return " (" + (one ? "line " : "lines ") + shown + (more ? ", ..." : "") + ")";
    }

    private String why(Coverage coverage) {
        return switch (coverage) {
            case TOO_LARGE -> "大きすぎるため未確認 / larger than " + maxExtractSize + ", not checked";
            case TIMED_OUT -> "時間切れのため一部のみ確認 / time limit reached, checked in part";
            case TRUNCATED -> "文字数の上限により一部のみ確認 / character limit reached, checked in part";
            case BUSY -> "混雑のため未確認 / server busy, not checked";
            case UNREADABLE -> "読み取れないため未確認 (破損またはパスワード付き) / unreadable (damaged or password-protected)";
            case COMPLETE, NOT_TEXT -> "";
        };
    }
}
