package dev.todoke.web;

import dev.todoke.common.DomainException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The one mapping from domain refusals to HTTP: each {@link DomainException.Kind} has one status, and
 * the JSON body is {@code {"error": code, ...details}} (docs/api.md). {@link WebErrorAdvice} answers with
 * it; a page controller that shows a form again with the error uses {@link #status} for the page.
 */
public final class WebErrors {

    private WebErrors() {}

    /** The HTTP status for a kind of refusal. */
    public static HttpStatus status(DomainException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case GONE -> HttpStatus.GONE;
            case INVALID -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case STALE -> HttpStatus.PRECONDITION_FAILED;
            case PRECONDITION_REQUIRED -> HttpStatus.PRECONDITION_REQUIRED;
        };
    }

    /** The JSON body: {@code error} first, then the details. */
    static Map<String, Object> body(DomainException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.putAll(error.details());
        return body;
    }
}
