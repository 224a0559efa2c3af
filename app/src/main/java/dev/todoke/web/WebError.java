package dev.todoke.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain error that the web answers with a status and a short code: JSON {@code {"error": code, ...}}
 * on the API, a page naming the problem elsewhere. The one mapping lives in {@link WebErrorAdvice}.
 * Messages never carry tokens, codes or internals.
 */
public class WebError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public WebError(int status, String code) {
        this(status, code, Map.of());
    }

    public WebError(int status, String code, Map<String, Object> extra) {
        super(code, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    public static WebError notFound() {
        return new WebError(404, "not-found");
    }

    public static WebError revoked() {
        return new WebError(410, "revoked");
    }

    public static WebError expired() {
        return new WebError(410, "expired");
    }

    public static WebError badRequest(String code) {
        return new WebError(400, code);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The JSON body: {@code error} first, then any extra fields. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.putAll(extra);
        return body;
    }
}
