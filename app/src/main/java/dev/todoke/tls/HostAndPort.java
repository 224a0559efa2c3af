package dev.todoke.tls;

/** A {@code host:port} pair from configuration ({@code [v6]:port} for IPv6 literals). */
record HostAndPort(String host, int port) {

    static HostAndPort parse(String value, int defaultPort, String what) {
        String v = value == null ? "" : value.trim();
        String host = v;
        int port = defaultPort;
        try {
            if (v.startsWith("[")) {
                int close = v.indexOf(']');
                host = v.substring(1, close);
                if (close + 1 < v.length()) {
                    port = Integer.parseInt(v.substring(close + 2));
                }
            } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
                host = v.substring(0, v.indexOf(':'));
                port = Integer.parseInt(v.substring(v.indexOf(':') + 1));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " must be host:port, got: " + v, e);
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be host:port, got: " + v);
        }
        return new HostAndPort(Domains.host(host), port);
    }
}
