package dev.todoke.templates;

import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /brand/logo}: the organisation's logo for the HTML mails, without sign-in (mail clients
 * load it). The version parameter {@code ?v=} that the mails carry only defeats caches; 404 without a
 * logo. Only PNG, JPEG and GIF are ever stored, and the answer says {@code nosniff}; it may be embedded
 * from any origin ({@code Cross-Origin-Resource-Policy: cross-origin}: webmail shows it in its own page).
 */
@RestController
class BrandLogoController {

    private final TemplateAdmin admin;

    BrandLogoController(TemplateAdmin admin) {
        this.admin = admin;
    }

    @GetMapping("/brand/logo")
    ResponseEntity<byte[]> logo() {
        return admin.logo()
                .map(logo -> ResponseEntity.ok()
                        .contentType(MediaType.parseMediaType(logo.type()))
                        .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
                        .eTag("\"" + logo.sha256() + "\"")
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Content-Security-Policy", "default-src 'none'")
                        .header("Cross-Origin-Resource-Policy", "cross-origin")
                        .body(logo.bytes()))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
