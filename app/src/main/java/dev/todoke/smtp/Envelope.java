package dev.todoke.smtp;

import java.util.List;

/**
 * The SMTP envelope of one mail transaction.
 *
 * @param sender the MAIL FROM address; empty for the null reverse-path {@code <>}
 * @param recipients every RCPT TO address, in the order given
 * @param clientAddress the IP address of the connected client
 * @param heloName what the client said in HELO/EHLO
 */
public record Envelope(String sender, List<String> recipients, String clientAddress, String heloName) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
