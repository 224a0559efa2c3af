package dev.todoke.download;

import dev.todoke.common.DomainException;
import dev.todoke.transfer.StoredFile;
import dev.todoke.web.ClientIp;
import dev.todoke.zk.ZeroKnowledgeKeys;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The recipient's JSON API under {@code /api/v1/d/{token}} (see docs/api.md). Refusals: {@code DomainException}. */
@RestController
class RecipientApiController {

    static final String ZERO_KNOWLEDGE = "zero-knowledge";

    private final RecipientAccess access;
    private final RecipientLinks links;
    private final FileResponses responses;
    private final ZeroKnowledgeKeys zeroKnowledge;

    RecipientApiController(
            RecipientAccess access, RecipientLinks links, FileResponses responses, ZeroKnowledgeKeys zeroKnowledge) {
        this.access = access;
        this.links = links;
        this.responses = responses;
        this.zeroKnowledge = zeroKnowledge;
    }

    /** @param mode {@code standard}, or {@code zero-knowledge} (docs/zero-knowledge.md) */
    record LinkInfo(String sender, String expiresAt, int fileCount, String recipient, String mode) {}

    /** This link's data key, wrapped under the key derived from its link secret (base64url, 60 bytes). */
    record WrappedKey(String wrappedKey) {}

    record FileInfo(String id, String name, long size, String sha256, String contentType) {
        static FileInfo of(StoredFile f) {
            return new FileInfo(f.id().toString(), f.name(), f.size(), f.sha256(), f.contentType());
        }
    }

    record Files(List<FileInfo> files) {}

    record CodeRequest(String code) {}

    @GetMapping("/api/v1/d/{token}")
    LinkInfo link(@PathVariable String token, HttpServletRequest request) {
        RecipientLink link = access.view(token, ClientIp.of(request));
        return new LinkInfo(
                link.sender(),
                Times.iso(link.expiresAt()),
                link.fileCount(),
                Addresses.mask(link.recipient()),
                zeroKnowledge.isZeroKnowledge(link.messageId()) ? ZERO_KNOWLEDGE : "standard");
    }

    /**
     * The wrapped data key of a zero-knowledge link, after the passcode step: useless without the link's
     * fragment, which never reaches the server. Gone once the link is revoked.
     */
    @GetMapping("/api/v1/d/{token}/key")
    WrappedKey key(@PathVariable String token, HttpServletRequest request) {
        RecipientLink link = access.requireSession(token, request);
        byte[] wrapped = zeroKnowledge.wrappedKey(link.linkId()).orElseThrow(DomainException::notFound);
        return new WrappedKey(Base64.getUrlEncoder().withoutPadding().encodeToString(wrapped));
    }

    @PostMapping("/api/v1/d/{token}/code")
    ResponseEntity<Map<String, String>> code(@PathVariable String token, HttpServletRequest request) {
        RecipientLink link = access.open(token);
        access.sendCode(link, ClientIp.of(request));
        return ResponseEntity.accepted().body(Map.of("status", "code-sent"));
    }

    @PostMapping("/api/v1/d/{token}/verify")
    ResponseEntity<Files> verify(
            @PathVariable String token, @RequestBody CodeRequest body, HttpServletRequest request) {
        RecipientLink link = access.open(token);
        ResponseCookie cookie = access.verify(link, body.code(), ClientIp.of(request), Times.secure(request));
        List<FileInfo> files =
                links.files(link.messageId()).stream().map(FileInfo::of).toList();
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(new Files(files));
    }

    @GetMapping({"/api/v1/d/{token}/files/{id}", "/d/{token}/files/{id}"})
    void file(
            @PathVariable String token,
            @PathVariable String id,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        RecipientLink link = access.requireSession(token, request);
        StoredFile file = Ids.parse(id)
                .flatMap(fileId -> links.file(link.messageId(), fileId))
                .orElseThrow(DomainException::notFound);
        boolean first = zeroKnowledge.isZeroKnowledge(link.messageId())
                ? responses.sendCiphertext(file, request, response)
                : responses.sendFile(file, request, response);
        if (first) {
            access.downloaded(link, file, ClientIp.of(request));
        }
    }

    @GetMapping({"/api/v1/d/{token}/zip", "/d/{token}/zip"})
    void zip(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) throws IOException {
        RecipientLink link = access.requireSession(token, request);
        if (zeroKnowledge.isZeroKnowledge(link.messageId())) {
            // The server cannot read these files: the browser builds the ZIP.
            throw new DomainException(DomainException.Kind.CONFLICT, ZERO_KNOWLEDGE);
        }
        List<StoredFile> files = links.files(link.messageId());
        if ("HEAD".equals(request.getMethod())) {
            response.setContentType("application/zip");
            return;
        }
        responses.sendZip(files, link.createdAt(), response);
        access.downloaded(link, null, ClientIp.of(request));
    }
}
