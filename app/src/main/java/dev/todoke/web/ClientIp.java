package dev.todoke.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's IP address as the servlet container sees it. Behind a reverse proxy set {@code
 * server.forward-headers-strategy=native} (or {@code framework}) so that this is the real client.
 */
public final class ClientIp {

    private ClientIp() {}

    public static String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
