package dev.todoke.templates;

import dev.todoke.templates.MailTemplates.FileView;
import dev.todoke.templates.MailTemplates.RecipientView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sample variables for each template, the same names and shapes the mail code passes: a full sample
 * (every optional part shown) and a bare one (flags off, lists empty, what can be absent absent). An
 * edited template must render with both before it is saved; previews use the full one. Stateless.
 */
final class TemplateSamples {

    private TemplateSamples() {}

    /** The full and the bare sample of a template. */
    static List<Map<String, Object>> of(String name) {
        String base = name.substring(0, name.indexOf('.')).replace("-subject", "");
        boolean subject = name.contains("-subject");
        return switch (base) {
            case "notice" -> List.of(notice(true), notice(false));
            case "receipt" ->
                subject ? List.of(Map.of("subject", "見積書の送付 / Quotation")) : List.of(receipt(true), receipt(false));
            case "passcode" -> List.of(Map.of("code", "123456", "minutes", 10));
            case "download" -> List.of(download(true), download(false));
            default -> throw new IllegalArgumentException("unknown mail template: " + name);
        };
    }

    /** The names of the variables a template gets, including {@code organisation} and {@code logoUrl}. */
    static Set<String> variables(String name) {
        Set<String> names = new HashSet<>(Set.of("organisation", "logoUrl"));
        of(name).forEach(sample -> names.addAll(sample.keySet()));
        return names;
    }

    private static List<FileView> files() {
        return List.of(new FileView("見積書.pdf", "1.5 MB"), new FileView("notes.txt", "12 B"));
    }

    private static Map<String, Object> notice(boolean full) {
        Map<String, Object> model = new HashMap<>();
        model.put("sender", "佐藤 花子 <hanako.sato@example.co.jp>");
        model.put("recipient", "alice@partner.example");
        model.put("files", full ? files() : List.of());
        model.put("link", "https://files.example.co.jp/d/SAMPLE-TOKEN");
        model.put("signatureRemoved", full);
        model.put("rule", full ? "Attachments sent as links; TLS check of partner.example: no-tls" : "");
        model.put("tokyo", "2026-12-08 17:00");
        model.put("utc", "2026-12-08 08:00 UTC");
        return model;
    }

    private static Map<String, Object> receipt(boolean links) {
        Map<String, Object> model = new HashMap<>();
        model.put("subject", "見積書の送付 / Quotation");
        List<RecipientView> recipients = List.of(
                new RecipientView("alice@partner.example", "暗号化あり / Encrypted"),
                new RecipientView("bob@other.example", "未確認 / not checked yet"));
        model.put("linked", links ? recipients : List.of());
        model.put("unchanged", links ? List.of("carol@corp.example") : List.of("alice@partner.example"));
        model.put("files", links ? files() : List.of());
        model.put("links", links);
        model.put("forcedBcc", !links);
        model.put("encryptedFiles", links ? List.of("secret.zip") : List.of());
        model.put("recipients", links ? List.of() : recipients);
        model.put("added", links ? List.of(new AddedSample("archive@corp.example", true)) : List.of());
        model.put(
                "personalData",
                links ? List.of(new FindingSample("本文 1 / body 1", "my-number 1 (line 2)")) : List.of());
        model.put("notScanned", links ? List.of(new FindingSample("file 2", "too large")) : List.of());
        model.put("archiveLimits", links ? List.of(new FindingSample("bomb.zip", "ratio")) : List.of());
        if (links) {
            model.put("manageLink", "https://files.example.co.jp/s/SAMPLE-TOKEN");
            model.put("tokyo", "2026-12-08 17:00");
            model.put("utc", "2026-12-08 08:00 UTC");
        } else {
            model.put("manageLink", null);
        }
        return model;
    }

    /** An auto-added recipient as the receipt lists it (the gateway's own type has the same members). */
    record AddedSample(String address, boolean original) {}

    /** An inspection line as the receipt lists it: where, and what (counts, never what was found). */
    record FindingSample(String where, String what) {}

    private static Map<String, Object> download(boolean zip) {
        return Map.of(
                "recipient",
                "alice@partner.example",
                "file",
                zip ? "ZIP" : "見積書.pdf",
                "zip",
                zip,
                "subject",
                "見積書の送付 / Quotation");
    }
}
