package dev.todoke.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's IP address as the servlet container sees it. Behind a reverse proxy (an ingress) set
 * {@code server.forward-headers-strategy=native} and {@code server.tomcat.remoteip.internal-proxies} to the
 * proxy's addresses: Tomcat then takes the client from {@code X-Forwarded-For}, walking it from the right
 * and stopping at the first address that is not a trusted proxy, so a client cannot forge its own. Not
 * {@code framework}: Spring's filter believes the header from any peer. See docs/production-mode.md.
 */
public final class ClientIp {

    private ClientIp() {}

    public static String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
