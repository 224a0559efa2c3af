package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.testkit.ClamdServer;
import dev.todoke.virus.ClamavProperties.Oversize;
import dev.todoke.virus.ClamdClient;
import dev.todoke.virus.ClamdUnavailableException;
import dev.todoke.virus.VirusScanning;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The virus scan step with a real clamd (own signatures; 1 MB per stream, 512 KB per file). */
class VirusScanStepTest extends StepTestBase {

    private static final String HELP = "https://files.example.jp/help/virus";

    @RegisterExtension
    static final ClamdServer clamd =
            new ClamdServer().with("StreamMaxLength", "1M").with("MaxFileSize", "512K");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private VirusScanStep step(boolean failOpen, Oversize oversize) {
        return step(clamd.port(), failOpen, oversize, MimeLimits.defaults());
    }

    private VirusScanStep step(int port, boolean failOpen, Oversize oversize, MimeLimits limits) {
        VirusScanning scanning =
                new VirusScanning(true, new ClamdClient("127.0.0.1", port, Duration.ofSeconds(5)), failOpen, oversize);
        return new VirusScanStep(scanning, new MimeParser(limits), fixture.audit, HELP, registry);
    }

    private static byte[] mailWith(String name, byte[] content) throws Exception {
        return TestMails.mail()
                .to(EXTERNAL)
                .attach("notes.txt", "plain".getBytes(StandardCharsets.US_ASCII))
                .attach(name, content)
                .build();
    }

    private List<String> audited() {
        return fixture.jdbc
                .sql("select kind || ' ' || detail from audit_event order by id")
                .query(String.class)
                .list();
    }

    private double scans(String result) {
        var counter = registry.find("todoke.virus.scans").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    @Test
    void applyWhenCleanThenContinueAndNothingAudited() throws Exception {
        MailTransaction mail = fixture.parsed(mailWith("report.pdf", new byte[] {1, 2, 3}), EXTERNAL);

        assertThat(step(false, Oversize.REFUSE).apply(mail)).isEqualTo(Next.CONTINUE);

        assertThat(audited()).isEmpty();
        assertThat(scans("clean")).isEqualTo(2);
    }

    @Test
    void applyWhenEicarWithJapaneseNameThenRefused571ByNumberAndSignatureInAscii() throws Exception {
        MailTransaction mail = fixture.parsed(mailWith("請求書.com", ClamdServer.eicar()), EXTERNAL);

        assertThatThrownBy(() -> step(false, Oversize.REFUSE).apply(mail))
                .isInstanceOfSatisfying(MailRefusal.class, refusal -> {
                    assertThat(refusal.enhancedStatus()).isEqualTo("5.7.1");
                    assertThat(refusal.text())
                            .startsWith("Virus found in attachment 2: " + ClamdServer.EICAR_SIGNATURE)
                            .endsWith("See " + HELP)
                            .doesNotContain("請求書");
                    assertThat(refusal.text().chars().allMatch(c -> c >= 0x20 && c < 0x7f))
                            .isTrue();
                });
        assertThat(audited())
                .singleElement()
                .asString()
                .startsWith("virus-found " + ClamdServer.EICAR_SIGNATURE)
                .endsWith(" in attachment 2");
        assertThat(scans("infected")).isEqualTo(1);
    }

    @Test
    void applyWhenPayloadWithAsciiNameThenRefusalNamesTheFile() throws Exception {
        MailTransaction mail = fixture.parsed(mailWith("setup.exe", ClamdServer.infectedPayload()), EXTERNAL);

        assertThatThrownBy(() -> step(false, Oversize.REFUSE).apply(mail))
                .isInstanceOf(MailRefusal.class)
                .hasMessageStartingWith("Virus found in attachment 2 (setup.exe): " + ClamdServer.PAYLOAD_SIGNATURE);
    }

    @Test
    void applyWhenUnchangedInternalMailNotParsedThenParsesAndRefuses() throws Exception {
        MailTransaction mail = fixture.mail(mailWith("a.bin", ClamdServer.eicar()), INTERNAL);

        assertThat(step(false, Oversize.REFUSE).appliesToUnchangedMail()).isTrue();
        assertThatThrownBy(() -> step(false, Oversize.REFUSE).apply(mail))
                .isInstanceOf(MailRefusal.class)
                .hasMessageContaining("attachment 2 (a.bin)");
    }

    @Test
    void applyWhenParserRefusesTheMessageThenTheWholeMessageIsScanned() throws Exception {
        MailTransaction mail = fixture.mail(mailWith("a.bin", ClamdServer.eicar()), INTERNAL);
        MimeLimits tooFewParts = new MimeLimits(20, 1, 256 * 1024, 64 * 1024);

        assertThatThrownBy(() ->
                        step(clamd.port(), false, Oversize.REFUSE, tooFewParts).apply(mail))
                .isInstanceOf(MailRefusal.class)
                .hasMessageStartingWith("Virus found in the message: " + ClamdServer.EICAR_SIGNATURE);

        MailTransaction clean = fixture.mail(mailWith("a.bin", new byte[] {1}), INTERNAL);
        assertThat(step(clamd.port(), false, Oversize.REFUSE, tooFewParts).apply(clean))
                .isEqualTo(Next.CONTINUE);
    }

    @Test
    void applyWhenFileBeyondClamdLimitAndRefuseThen534AndAudited() throws Exception {
        byte[] big = new byte[700_000];
        new Random(3).nextBytes(big);
        MailTransaction mail = fixture.parsed(mailWith("big.bin", big), EXTERNAL);

        assertThatThrownBy(() -> step(false, Oversize.REFUSE).apply(mail))
                .isInstanceOfSatisfying(MailRefusal.class, refusal -> {
                    assertThat(refusal.enhancedStatus()).isEqualTo("5.3.4");
                    assertThat(refusal.text())
                            .startsWith("Virus scan: attachment 2 (big.bin) is too large to be scanned");
                });
        assertThat(audited()).singleElement().asString().startsWith("virus-scan-oversize attachment 2 too large");
        assertThat(scans("too-large")).isEqualTo(1);
    }

    @Test
    void applyWhenFileBeyondStreamLimitAndPassThenContinueAndAudited() throws Exception {
        byte[] big = new byte[3_000_000];
        new Random(4).nextBytes(big);
        MailTransaction mail = fixture.parsed(mailWith("big.bin", big), EXTERNAL);

        assertThat(step(false, Oversize.PASS).apply(mail)).isEqualTo(Next.CONTINUE);

        assertThat(audited())
                .singleElement()
                .asString()
                .isEqualTo("virus-scan-oversize attachment 2 too large for clamd, passed");
    }

    @Test
    void applyWhenClamdUnreachableThenUnavailableFailClosed() throws Exception {
        MailTransaction mail = fixture.parsed(mailWith("a.pdf", new byte[] {1}), EXTERNAL);
        int port = freePort();

        assertThatThrownBy(() -> step(port, false, Oversize.REFUSE, MimeLimits.defaults())
                        .apply(mail))
                .isInstanceOf(ClamdUnavailableException.class);
        assertThat(scans("unavailable")).isEqualTo(1);
        assertThat(audited()).isEmpty();
    }

    @Test
    void applyWhenClamdUnreachableAndFailOpenThenContinueAndAudited() throws Exception {
        MailTransaction mail = fixture.parsed(mailWith("a.pdf", ClamdServer.eicar()), EXTERNAL);
        int port = freePort();

        assertThat(step(port, true, Oversize.REFUSE, MimeLimits.defaults()).apply(mail))
                .isEqualTo(Next.CONTINUE);

        assertThat(audited())
                .singleElement()
                .asString()
                .startsWith("virus-scan-failed-open clamd unavailable, mail passed unscanned");
    }
}
