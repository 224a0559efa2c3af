package dev.todoke.gateway;

import dev.todoke.mail.MailSeal;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loop safety: mail with a valid Todoke seal is Todoke's own output and passes unchanged to everyone.
 * Thread-safe.
 */
final class LoopSealStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(LoopSealStep.class);

    private final MailSeal seal;

    LoopSealStep(MailSeal seal) {
        this.seal = seal;
    }

    /** @throws IOException when the spool cannot be read */
    @Override
    public Next apply(MailTransaction mail) throws IOException {
        if (seal.verify(mail.original()).isPresent()) {
            log.debug(
                    "Sealed Todoke mail from <{}> passes unchanged",
                    mail.envelope().sender());
            return Next.PASS_UNCHANGED;
        }
        return Next.CONTINUE;
    }
}
