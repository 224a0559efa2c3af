package dev.todoke.download;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Mail address helpers for the pages: the bare address out of a From header, and masking. */
final class Addresses {

    private static final Pattern ANGLE = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>");
    private static final Pattern BARE = Pattern.compile("([^<>\\s\",;:]+@[^<>\\s\",;:]+)");

    private Addresses() {}

    /** The address in a From header value ({@code "Name" <a@b>} or {@code a@b}), else the fallback. */
    static String fromHeader(String headerFrom, String fallback) {
        if (headerFrom != null) {
            Matcher angle = ANGLE.matcher(headerFrom);
            if (angle.find()) {
                return angle.group(1);
            }
            Matcher bare = BARE.matcher(headerFrom);
            if (bare.find()) {
                return bare.group(1);
            }
        }
        return fallback;
    }

    /**
     * Masks the local part but its first character: {@code taro@example.com} becomes {@code
     * t***@example.com}. The domain stays, so that the recipient recognises which address gets the code.
     */
    static String mask(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return address.substring(0, address.offsetByCodePoints(0, 1)) + "***" + address.substring(at);
    }
}
