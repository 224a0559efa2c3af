package dev.todoke.download;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Small helpers shared by the controllers of this package. */
final class Times {

    private Times() {}

    /** ISO-8601 instant in UTC, to the second: {@code 2026-12-01T00:00:00Z}. */
    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Whether cookies should be Secure: the request came over https (directly or via a trusted proxy). */
    static boolean secure(HttpServletRequest request) {
        return request.isSecure();
    }
}
