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
    /** What happened to the watch of a large message and when, in order: grown:N, ended:B, process, close. */
    final List<String> events = new CopyOnWriteArrayList<>();
    /** Where a grown length was more than the spool file held then. */
    final List<String> unreadable = new CopyOnWriteArrayList<>();

    volatile Path watched;

    @Override
    public SpoolWatch watch(String sender, List<String> recipients, Path message) {
        watched = message;
        return new SpoolWatch() {
            @Override
            public void grown(long length) {
                events.add("grown:" + length);
                try {
                    if (Files.size(message) < length) {
                        unreadable.add(length + " > " + Files.size(message));
                    }
                } catch (IOException e) {
                    unreadable.add(e.toString());
                }
            }

            @Override
            public void ended(boolean complete) {
                events.add("ended:" + complete);
            }

            @Override
            public void close() {
                events.add("close");
            }
        };
    }

    @Override
    public void process(Envelope envelope, Path message) throws SmtpRejection {
        events.add("process");
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
