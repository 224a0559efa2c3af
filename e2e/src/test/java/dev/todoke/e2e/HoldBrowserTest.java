package dev.todoke.e2e;

import static dev.todoke.e2e.WholeFlowBrowserTest.extract;
import static dev.todoke.e2e.WholeFlowBrowserTest.screenshot;
import static dev.todoke.e2e.WholeFlowBrowserTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.todoke.smtp.SmtpListener;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hold and approval in the browser (issue 12's done-when): mail is held for ten minutes; the sender
 * cancels the first on the hold page and nothing of it ever reaches the next hop; the sender sends the
 * second now and it is delivered with its link at once. Mail from {@code careful@} needs the approval of
 * {@code boss@}: the approver approves the third on the approval page and it is delivered; rejects the
 * fourth and the sender is told ({@code X-Todoke-Kind: rejected}), nothing delivered.
 */
@Timeout(300)
class HoldBrowserTest {

    static final String ALICE = "alice@example.co.jp";
    static final String CAREFUL = "careful@example.co.jp";
    static final String BOSS = "boss@example.co.jp";
    static final String BOB = "bob@partner.example";
    static final Duration MAIL_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    RunningTodoke todoke;
    GreenMail nextHop;
    ConfigurableApplicationContext app;
    String baseUrl;

    @BeforeEach
    void start() {
        todoke = RunningTodoke.start(
                dataDir,
                "--todoke.hold.delay=PT10M",
                "--todoke.hold.poll-interval=1s",
                "--todoke.hold.approval.senders=" + CAREFUL,
                "--todoke.hold.approval.approvers[example.co.jp]=" + BOSS);
        nextHop = todoke.nextHop;
        app = todoke.app;
        baseUrl = todoke.baseUrl;
    }

    @AfterEach
    void stop() {
        if (todoke != null) {
            todoke.close();
        }
    }

    @Test
    void heldMailWhenCancelledSentNowApprovedOrRejectedOnThePagesThenDeliveredExactlyAsDecided() throws Exception {
        int smtp = app.getBean(SmtpListener.class).port();
        try (Browser browser = Browser.launch();
                BrowserContext sender = browser.newContext("ja-JP");
                BrowserContext approver = browser.newContext("ja-JP")) {
            // 1. held, then cancelled on the hold page: nothing of it reaches the next hop, ever
            send(smtp, ALICE, "一通目 cancel");
            Page page = sender.newPage();
            assertThat(page.navigate(manageUrl(awaitMail(ALICE, "hold", 1))).status())
                    .isEqualTo(200);
            assertThat(page.locator("section.hold").getAttribute("data-state")).isEqualTo("held");
            assertThat(page.locator("main").innerText()).contains("保留", BOB, "plan.pdf");
            screenshot(page, "hold-1-held");
            page.locator("#cancel").click();
            page.waitForURL("**/s/*?saved=1");
            assertThat(page.locator("section.hold").getAttribute("data-state")).isEqualTo("cancelled");
            screenshot(page, "hold-2-cancelled");

            // 2. held, then "send now": delivered with its link at once
            send(smtp, ALICE, "二通目 send now");
            page.navigate(manageUrl(awaitMail(ALICE, "hold", 2)));
            page.locator("#send-now").click();
            page.waitForURL("**/s/*?saved=1");
            MimeMessage second = awaitMail(BOB, "notice", 1);
            assertThat(second.getSubject()).isEqualTo("二通目 send now");
            assertThat(text(second)).contains(baseUrl + "/d/");

            // 3. waits for approval; the approver approves on the approval page: delivered
            send(smtp, CAREFUL, "三通目 approve");
            assertThat(awaitMail(CAREFUL, "hold", 1)).isNotNull();
            Page approval = approver.newPage();
            assertThat(approval.navigate(approvalUrl(awaitMail(BOSS, "approval", 1)))
                            .status())
                    .isEqualTo(200);
            assertThat(approval.locator("main").innerText())
                    .contains(CAREFUL, "三通目 approve", "plan.pdf", "partner.example");
            screenshot(approval, "hold-3-approval");
            approval.locator("#approve").click();
            approval.waitForURL("**/a/*");
            MimeMessage third = awaitMail(BOB, "notice", 2);
            assertThat(third.getSubject()).isEqualTo("三通目 approve");

            // 4. waits for approval; rejected: the sender is told, nothing delivered
            send(smtp, CAREFUL, "四通目 reject");
            approval.navigate(approvalUrl(awaitMail(BOSS, "approval", 2)));
            approval.locator("#reject").click();
            approval.waitForURL("**/a/*");
            assertThat(approval.locator("#approval-state").getAttribute("data-state"))
                    .isEqualTo("rejected");
            MimeMessage rejected = awaitMail(CAREFUL, "rejected", 1);
            assertThat(text(rejected)).contains("四通目 reject");

            Thread.sleep(3000); // a few more ticks of the scheduler
            List<String> delivered = new ArrayList<>();
            for (MimeMessage m : nextHop.getReceivedMessagesForDomain(BOB)) {
                delivered.add(m.getSubject());
            }
            assertThat(delivered).containsExactly("二通目 send now", "三通目 approve");
        }
    }

    private String manageUrl(MimeMessage hold) throws Exception {
        return baseUrl + "/s/" + extract(text(hold), baseUrl + "/s/");
    }

    private String approvalUrl(MimeMessage approval) throws Exception {
        return baseUrl + "/a/" + extract(text(approval), baseUrl + "/a/");
    }

    static void send(int port, String from, String subject) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.timeout", "30000");
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(BOB));
        message.setSubject(subject, "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("ボブ様\n\n資料をお送りします。\n", "UTF-8");
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setDataHandler(new jakarta.activation.DataHandler(
                new ByteArrayDataSource(new byte[] {37, 80, 68, 70}, "application/pdf")));
        pdf.setFileName("plan.pdf");
        pdf.setDisposition(Part.ATTACHMENT);
        message.setContent(new MimeMultipart(body, pdf));
        message.saveChanges();
        Transport.send(message);
    }

    /** Waits (bounded) until {@code address} has {@code count} mails of {@code kind}; returns the last. */
    MimeMessage awaitMail(String address, String kind, int count) throws Exception {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (true) {
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage message : nextHop.getReceivedMessagesForDomain(address)) {
                if (kind.equals(message.getHeader("X-Todoke-Kind", null))) {
                    found.add(message);
                }
            }
            if (found.size() >= count) {
                return found.get(count - 1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + kind + " mail #" + count + " for " + address + " within " + MAIL_WAIT);
            }
            Thread.sleep(200);
        }
    }
}
