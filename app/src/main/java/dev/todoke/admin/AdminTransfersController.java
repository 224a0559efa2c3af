package dev.todoke.admin;

import dev.todoke.common.DomainException;
import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The transfers of the admin API under {@code /api/v1/admin/transfers} (docs/api.md): search, one
 * transfer, revoke, expiry. Authentication is the admin API's; errors are answered by {@code
 * dev.todoke.web.WebErrorAdvice}.
 */
@RestController
@RequestMapping(value = "/api/v1/admin/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminTransfersController {

    private final AdminTransfers transfers;

    AdminTransfersController(AdminTransfers transfers) {
        this.transfers = transfers;
    }

    record RevokeRequest(String recipient) {}

    record ExpiryRequest(String expiresAt) {}

    @GetMapping
    ResponseEntity<AdminTransfers.Page> search(
            @RequestParam(required = false) String sender,
            @RequestParam(required = false) String recipient,
            @RequestParam(required = false) String subject,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return noStore(
                transfers.search(new AdminTransfers.Criteria(sender, recipient, subject, from, to, state, page, size)));
    }

    @GetMapping("/{id}")
    ResponseEntity<AdminTransfers.Detail> show(@PathVariable String id) {
        return noStore(transfers.detail(id));
    }

    @PostMapping("/{id}/revoke")
    ResponseEntity<AdminTransfers.Detail> revoke(
            @PathVariable String id,
            @RequestBody(required = false) RevokeRequest body,
            Principal principal,
            HttpServletRequest request) {
        return noStore(
                transfers.revoke(id, body == null ? null : body.recipient(), name(principal), ClientIp.of(request)));
    }

    @PostMapping("/{id}/expiry")
    ResponseEntity<AdminTransfers.Detail> expiry(
            @PathVariable String id,
            @RequestBody(required = false) ExpiryRequest body,
            Principal principal,
            HttpServletRequest request) {
        if (body == null || body.expiresAt() == null || body.expiresAt().isBlank()) {
            throw DomainException.invalid("bad-request");
        }
        java.time.Instant at;
        try {
            at = OffsetDateTime.parse(body.expiresAt().strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("bad-request");
        }
        return noStore(transfers.changeExpiry(id, at, name(principal), ClientIp.of(request)));
    }

    private static String name(Principal principal) {
        return principal == null ? null : principal.getName();
    }

    private static <T> ResponseEntity<T> noStore(T body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }
}
