package dev.todoke.gateway;

import dev.todoke.mime.MimeParser;
import dev.todoke.mime.MimeRejectedException;
import java.io.IOException;

/**
 * Parses the spooled message as a stream. Mail that cannot be parsed safely, or breaks a limit, is
 * refused with 554 5.6.0 and the configured text. Thread-safe.
 */
final class ParseStep implements MailStep {

    private final MimeParser parser;
    private final GatewayProperties properties;

    ParseStep(MimeParser parser, GatewayProperties properties) {
        this.parser = parser;
        this.properties = properties;
    }

    /**
     * @throws MailRefusal 5.6.0 when the parser refuses the message
     * @throws IOException when the spool cannot be read
     */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal, IOException {
        try {
            mail.parsed(parser.parse(mail.spool()));
        } catch (MimeRejectedException e) {
            throw new MailRefusal("5.6.0", properties.refusal(e.reason()), e.reason());
        }
        return Next.CONTINUE;
    }
}
