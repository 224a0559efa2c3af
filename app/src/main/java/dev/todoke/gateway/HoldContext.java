package dev.todoke.gateway;

import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a release of held mail needs besides the original bytes and the rows: the tokens already promised
 * (the management token in the hold mail, the approval token in the approver's mail, each link recipient's
 * link token), every recipient's decision, and what the steps before the hold found (forced BCC, the
 * password-protected files, whether the mail passed unchanged or was parsed). Kept as a small blob in the
 * encrypted blob store beside the original, never in the database (which holds only token hashes; ADR
 * 0100). Written and read as {@link Properties} text, UTF-8.
 */
record HoldContext(
        String manageToken,
        String approvalToken,
        Map<String, Outcome> decisions,
        Map<String, String> linkTokens,
        boolean unchanged,
        boolean parsed,
        boolean forcedBcc,
        List<String> encryptedFiles) {

    HoldContext {
        decisions = Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
        linkTokens = Collections.unmodifiableMap(new LinkedHashMap<>(linkTokens));
        encryptedFiles = List.copyOf(encryptedFiles);
    }

    byte[] write() {
        Properties p = new Properties();
        p.setProperty("manage", manageToken);
        if (approvalToken != null) {
            p.setProperty("approval", approvalToken);
        }
        p.setProperty("unchanged", Boolean.toString(unchanged));
        p.setProperty("parsed", Boolean.toString(parsed));
        p.setProperty("forcedBcc", Boolean.toString(forcedBcc));
        int i = 0;
        for (Map.Entry<String, Outcome> e : decisions.entrySet()) {
            String k = "r." + i++;
            p.setProperty(k, e.getKey());
            p.setProperty(k + ".decision", e.getValue().decision().name());
            p.setProperty(k + ".rule", e.getValue().rule());
            p.setProperty(k + ".tls", e.getValue().tlsVerdict());
            String link = linkTokens.get(e.getKey());
            if (link != null) {
                p.setProperty(k + ".link", link);
            }
        }
        for (int f = 0; f < encryptedFiles.size(); f++) {
            p.setProperty("encrypted." + f, encryptedFiles.get(f));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    InputStream open() {
        return new ByteArrayInputStream(write());
    }

    static HoldContext read(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        Map<String, Outcome> decisions = new LinkedHashMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        for (int i = 0; p.getProperty("r." + i) != null; i++) {
            String k = "r." + i;
            String recipient = p.getProperty(k);
            decisions.put(
                    recipient,
                    new Outcome(
                            Decision.valueOf(p.getProperty(k + ".decision")),
                            p.getProperty(k + ".rule", ""),
                            p.getProperty(k + ".tls", "")));
            String link = p.getProperty(k + ".link");
            if (link != null) {
                links.put(recipient, link);
            }
        }
        List<String> encrypted = new ArrayList<>();
        for (int f = 0; p.getProperty("encrypted." + f) != null; f++) {
            encrypted.add(p.getProperty("encrypted." + f));
        }
        return new HoldContext(
                p.getProperty("manage"),
                p.getProperty("approval"),
                decisions,
                links,
                Boolean.parseBoolean(p.getProperty("unchanged")),
                Boolean.parseBoolean(p.getProperty("parsed")),
                Boolean.parseBoolean(p.getProperty("forcedBcc")),
                encrypted);
    }
}
