package dev.todoke.sender;

import dev.todoke.common.DomainException;
import dev.todoke.transfer.Transfers;
import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The sender's JSON API under {@code /api/v1/s/{token}} (see docs/api.md). */
@RestController
class SenderApiController {

    private final SenderDesk desk;

    SenderApiController(SenderDesk desk) {
        this.desk = desk;
    }

    record RevokeRequest(String recipient) {}

    record ExpiryRequest(String expiresAt) {}

    @GetMapping("/api/v1/s/{token}")
    SenderDesk.Overview show(@PathVariable String token, HttpServletRequest request) {
        return desk.view(token, ClientIp.of(request));
    }

    @PostMapping("/api/v1/s/{token}/revoke")
    SenderDesk.Overview revoke(
            @PathVariable String token, @RequestBody(required = false) RevokeRequest body, HttpServletRequest request) {
        Transfers.Message message = desk.message(token);
        desk.revoke(message, body == null ? null : body.recipient(), ClientIp.of(request));
        return desk.overview(desk.message(token));
    }

    @PostMapping("/api/v1/s/{token}/cancel")
    SenderDesk.Overview cancel(@PathVariable String token, HttpServletRequest request) {
        desk.cancel(desk.message(token), ClientIp.of(request));
        return desk.overview(desk.message(token));
    }

    @PostMapping("/api/v1/s/{token}/release")
    SenderDesk.Overview release(@PathVariable String token, HttpServletRequest request) {
        desk.releaseNow(desk.message(token), ClientIp.of(request));
        return desk.overview(desk.message(token));
    }

    @PostMapping("/api/v1/s/{token}/expiry")
    SenderDesk.Overview expiry(
            @PathVariable String token, @RequestBody ExpiryRequest body, HttpServletRequest request) {
        Transfers.Message message = desk.message(token);
        desk.changeExpiry(message, parse(body.expiresAt()), ClientIp.of(request));
        return desk.overview(desk.message(token));
    }

    /** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or date-time with offset. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid("bad-request");
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("bad-request");
        }
    }
}
