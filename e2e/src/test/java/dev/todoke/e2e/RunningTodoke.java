package dev.todoke.e2e;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.TodokeApplication;
import dev.todoke.smtp.SmtpListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as the browser tests run it: the real Todoke on free loopback ports, relaying to a
 * GreenMail next hop, with nothing that reaches the internet (TLS checks point at a dead loopback port)
 * and without what costs start-up CPU on the shared 2-core machine and is tested elsewhere (cipher
 * warm-up, listener TLS). Each test adds its own settings.
 */
final class RunningTodoke implements AutoCloseable {

    final GreenMail nextHop;
    final ConfigurableApplicationContext app;
    final String baseUrl;

    private RunningTodoke(GreenMail nextHop, ConfigurableApplicationContext app, String baseUrl) {
        this.nextHop = nextHop;
        this.app = app;
        this.baseUrl = baseUrl;
    }

    /** Starts the next hop and the application on {@code dataDir}, with {@code extra} arguments. */
    static RunningTodoke start(Path dataDir, String... extra) {
        int nextHopPort = WholeFlowBrowserTest.freePort();
        GreenMail nextHop = new GreenMail(new ServerSetup(nextHopPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        nextHop.start();
        int webPort = WholeFlowBrowserTest.freePort();
        String baseUrl = "http://127.0.0.1:" + webPort;
        List<String> args = new ArrayList<>(List.of(
                "--todoke.data-dir=" + dataDir,
                "--server.port=" + webPort,
                "--management.server.port=0",
                "--todoke.public-url=" + baseUrl,
                "--todoke.smtp.port=0",
                "--todoke.relay.host=127.0.0.1",
                "--todoke.relay.port=" + nextHopPort,
                "--todoke.relay.starttls=off",
                // GreenMail refuses the null reverse-path that Todoke's own mail uses by default
                "--todoke.mail.envelope-from=todoke@example.co.jp",
                "--todoke.internal-domains=example.co.jp",
                // on a busy 2-core machine these cost tens of seconds of CPU at start-up and are not what
                // the browser tests are about (the gateway's own tests cover them)
                "--todoke.storage.warm-up=0",
                "--todoke.smtp.tls.enabled=false",
                // should anything check a recipient's domain for TLS: loopback only, never the internet
                "--todoke.tls.resolver=127.0.0.1:1",
                "--todoke.tls.mx-overrides[partner.example]=127.0.0.1:1"));
        args.addAll(List.of(extra));
        try {
            ConfigurableApplicationContext app =
                    new SpringApplicationBuilder(TodokeApplication.class).run(args.toArray(String[]::new));
            return new RunningTodoke(nextHop, app, baseUrl);
        } catch (RuntimeException e) {
            nextHop.stop();
            throw e;
        }
    }

    /** The SMTP port the gateway listens on. */
    int smtpPort() {
        return app.getBean(SmtpListener.class).port();
    }

    @Override
    public void close() {
        app.close();
        nextHop.stop();
    }
}
