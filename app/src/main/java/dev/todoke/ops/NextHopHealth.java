package dev.todoke.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the SMTP next hop: connects, reads the greeting (a 2xx line), says QUIT. Up to {@code
 * timeout} per probe, and a result is reused for {@code cacheFor}, so that frequent probes from
 * Kubernetes and the load balancer cost the next hop one connection every few seconds. Part of the
 * readiness group only: a next hop outage takes a replica out of the SMTP service but never restarts it.
 * Thread-safe.
 */
final class NextHopHealth implements HealthIndicator {

    private final String host;
    private final int port;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private volatile Cached last;

    NextHopHealth(String host, int port, Duration timeout, Duration cacheFor, Clock clock) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    private record Cached(Health health, Instant until) {}

    @Override
    public Health health() {
        Cached cached = last;
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.until)) {
            return cached.health;
        }
        Health health = probe();
        last = new Cached(health, now.plus(cacheFor));
        return health;
    }

    private Health probe() {
        Health.Builder builder = Health.unknown().withDetail("nextHop", "smtp://" + host + ":" + port);
        try (Socket socket = new Socket()) {
            int millis = (int) timeout.toMillis();
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String greeting = in.readLine();
            OutputStream out = socket.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (greeting == null || !greeting.startsWith("2")) {
                return builder.down().withDetail("error", "no 2xx greeting").build();
            }
            return builder.up().build();
        } catch (IOException e) {
            return builder.down()
                    .withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
