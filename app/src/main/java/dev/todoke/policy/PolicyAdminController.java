package dev.todoke.policy;

import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET} and {@code PUT /api/v1/admin/policies}: the whole stored policy set with its {@code ETag};
 * a {@code PUT} replaces it and needs {@code If-Match} (docs/api.md). Authentication is the admin API's
 * (HTTP Basic or an admin's session); errors are answered by {@code dev.todoke.web.WebErrorAdvice}.
 */
@RestController
class PolicyAdminController {

    static final String PATH = "/api/v1/admin/policies";

    private final PolicyStore store;

    PolicyAdminController(PolicyStore store) {
        this.store = store;
    }

    @GetMapping(value = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> read() {
        return answer(store.read());
    }

    @PutMapping(value = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> replace(
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody(required = false) String body,
            Principal principal,
            HttpServletRequest request) {
        return answer(store.replace(ifMatch, body, actor(principal), ClientIp.of(request)));
    }

    private static ResponseEntity<ObjectNode> answer(PolicyStore.Snapshot snapshot) {
        return ResponseEntity.ok()
                .eTag(snapshot.etag())
                .cacheControl(CacheControl.noStore())
                .body(snapshot.document());
    }

    /** {@code by admin alice}; {@code by admin} while the admin filter names no principal. */
    static String actor(Principal principal) {
        return principal == null || principal.getName() == null ? "by admin" : "by admin " + principal.getName();
    }
}
