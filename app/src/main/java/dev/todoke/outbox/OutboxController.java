package dev.todoke.outbox;

import dev.todoke.common.DomainException;
import dev.todoke.outbox.DevOutbox.OutboxEntry;
import dev.todoke.relay.RelayHostCondition;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The dev outbox pages: {@code GET /outbox} lists the messages, {@code GET /outbox/{id}} shows one,
 * {@code GET /outbox/{id}/raw} downloads it. Present only while the dev outbox is the next hop (404
 * otherwise). Everything is escaped; the HTML body is shown in a sandboxed frame, without scripts.
 */
@Controller
@Conditional(RelayHostCondition.NoRelayHost.class)
@ConditionalOnProperty(name = "todoke.mode", havingValue = "dev", matchIfMissing = true)
class OutboxController {

    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self';"
            + " frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

    static final java.time.format.DateTimeFormatter SHOWN_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    private final DevOutbox outbox;

    OutboxController(DevOutbox outbox) {
        this.outbox = outbox;
    }

    @GetMapping("/outbox")
    String list(Model model, HttpServletResponse response) {
        secure(response);
        List<OutboxListItem> items =
                outbox.list().stream().map(OutboxListItem::of).toList();
        model.addAttribute("items", items);
        model.addAttribute("nextHop", outbox.describe());
        return "outbox/list";
    }

    @GetMapping("/outbox/{id}")
    String message(@PathVariable String id, Model model, HttpServletResponse response) {
        secure(response);
        OutboxEntry entry = outbox.find(id).orElseThrow(DomainException::notFound);
        OutboxMessageView view = OutboxMessageView.read(entry.file());
        model.addAttribute("entry", entry);
        model.addAttribute("time", SHOWN_TIME.format(entry.time()) + " UTC");
        model.addAttribute("view", view);
        model.addAttribute(
                "frames",
                view.htmlBodies().stream().map(OutboxMessageView::framed).toList());
        model.addAttribute("nextHop", outbox.describe());
        return "outbox/message";
    }

    @GetMapping("/outbox/{id}/raw")
    ResponseEntity<Resource> raw(@PathVariable String id) {
        OutboxEntry entry = outbox.find(id).orElseThrow(DomainException::notFound);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("message/rfc822"))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(entry.id() + ".eml")
                                .build()
                                .toString())
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentLength(entry.size())
                .body(new FileSystemResource(entry.file()));
    }

    private static void secure(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** One row of the list. */
    record OutboxListItem(String id, String time, String sender, List<String> recipients, String subject, String kind) {

        static OutboxListItem of(OutboxEntry entry) {
            OutboxMessageView view = OutboxMessageView.headersOnly(entry.file());
            return new OutboxListItem(
                    entry.id(),
                    SHOWN_TIME.format(entry.time()),
                    entry.sender().isEmpty() ? "<>" : entry.sender(),
                    entry.recipients(),
                    view.subject(),
                    view.kind());
        }
    }
}
