package dev.todoke.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A MailFilter for tests: records each envelope and the spooled bytes, then does what it is told. */
final class RecordingFilter implements MailFilter {

    record Received(Envelope envelope, byte[] bytes, Path spool) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile SmtpRejection rejection;
    volatile RuntimeException failure;

    @Override
    public void process(Envelope envelope, Path message) throws SmtpRejection {
        try {
            received.add(new Received(envelope, Files.readAllBytes(message), message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rejection != null) {
            throw rejection;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
