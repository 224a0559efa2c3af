package dev.todoke.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of a request as the application routes it, whatever its spelling: percent-decoded segment by
 * segment, path parameters ({@code ;x}) dropped, empty segments ({@code //}) and {@code .} removed, {@code
 * ..} applied. {@code /api;x/v1}, {@code /%61pi/v1} and {@code //api/v1} are all {@code /api/v1}. Filters
 * that decide by path (the rate limit) use it, so no spelling of a path slips past them. Spring
 * Security's firewall rejects most such spellings anyway (400), but only after the rate limit ran.
 */
public final class CanonicalPath {

    private CanonicalPath() {}

    /** The canonical path of the request, without the context path; always starts with {@code /}. */
    public static String of(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (context != null && !context.isEmpty() && uri.startsWith(context)) {
            uri = uri.substring(context.length());
        }
        return canonical(uri);
    }

    static String canonical(String raw) {
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String plain = parameters < 0 ? segment : segment.substring(0, parameters);
            String decoded = decode(plain);
            if (decoded.isEmpty() || decoded.equals(".")) {
                continue;
            }
            if (decoded.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                continue;
            }
            segments.add(decoded);
        }
        String path = "/" + String.join("/", segments);
        return raw.endsWith("/") && !segments.isEmpty() ? path + "/" : path;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
