package dev.todoke.approval;

import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The approver's JSON API under {@code /api/v1/a/{token}} (see docs/api.md). */
@RestController
class ApprovalApiController {

    private final ApprovalDesk desk;

    ApprovalApiController(ApprovalDesk desk) {
        this.desk = desk;
    }

    @GetMapping("/api/v1/a/{token}")
    ApprovalDesk.Approval show(@PathVariable String token, HttpServletRequest request) {
        return desk.view(token, ClientIp.of(request));
    }

    @PostMapping("/api/v1/a/{token}/approve")
    ApprovalDesk.Approval approve(@PathVariable String token, HttpServletRequest request) {
        return desk.approve(token, ClientIp.of(request));
    }

    @PostMapping("/api/v1/a/{token}/reject")
    ApprovalDesk.Approval reject(@PathVariable String token, HttpServletRequest request) {
        return desk.reject(token, ClientIp.of(request));
    }
}
