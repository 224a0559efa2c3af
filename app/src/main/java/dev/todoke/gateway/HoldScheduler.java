package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.HoldMails.What;
import dev.todoke.jobs.JobLock;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Holds.Held;
import dev.todoke.transfer.Holds.Kind;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The held-mail scheduler: each tick (every {@code todoke.hold.poll-interval}, on one replica per
 * interval through the {@code hold} {@link JobLock}, or at once when {@link #wake woken}) it applies the
 * timeout action to undecided approvals (reject by default) and cancels unconfirmed self-checks, reminds
 * approvers, gives up releases that kept failing for {@code todoke.hold.release-give-up}, sends the
 * sender's due notices (rejected, release failed, self-check ran out; tried again each tick until the next
 * hop takes them), sends the hold mail's TLS update where the verdicts became known ({@link
 * HoldTlsUpdates}), and releases every due message:
 * each one first claimed ({@link Holds#claim}: exactly one replica wins, and a replica that died while
 * sending loses its claim after {@code todoke.hold.claim-lease}), then sent by {@link HeldRelease}; a
 * failed release is tried again after a back-off. Every decision is audited. One tick at a time per
 * replica; thread-safe.
 */
final class HoldScheduler implements HoldWake {

    private static final Logger log = LoggerFactory.getLogger(HoldScheduler.class);
    private static final int BATCH = 50;

    private final Holds holds;
    private final HeldRelease release;
    private final HeldNotices notices;
    private final HoldTlsUpdates tlsUpdates;
    private final JobLock locks;
    private final AuditLog audit;
    private final HoldProperties properties;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    HoldScheduler(
            Holds holds,
            HeldRelease release,
            HeldNotices notices,
            HoldTlsUpdates tlsUpdates,
            JobLock locks,
            AuditLog audit,
            HoldProperties properties,
            Clock clock) {
        this.holds = holds;
        this.release = release;
        this.notices = notices;
        this.tlsUpdates = tlsUpdates;
        this.locks = locks;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** One tick of the timer: runs if this replica takes this interval's lock. */
    void runIfDue() {
        try {
            if (!locks.tryAcquire(
                    "hold", properties.pollInterval().multipliedBy(9).dividedBy(10))) {
                return;
            }
        } catch (DataAccessException e) {
            log.warn(
                    "Held mail not looked at, database unavailable: {}",
                    e.getClass().getSimpleName());
            return;
        }
        tick();
    }

    @Override
    public void wake() {
        Thread.ofVirtual().name("hold-wake").start(this::tick);
    }

    /** Everything that is due now; a tick already running on this replica runs once more instead. */
    void tick() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                runOnce();
            } while (again.get());
        } finally {
            running.set(false);
        }
    }

    private void runOnce() {
        try {
            undecided();
            reminders();
            giveUps();
            notices();
            tlsUpdates.run();
            releases();
        } catch (DataAccessException e) {
            log.warn("Held mail tick failed, will retry: {}", e.getClass().getSimpleName());
        }
    }

    private void releases() {
        Instant now = clock.instant();
        for (UUID id : holds.due(now, BATCH)) {
            Instant started = clock.instant();
            if (!holds.claim(id, started, started.plus(properties.claimLease()), locks.owner())) {
                continue;
            }
            try {
                release.release(id);
                log.info("Released held message {}", id);
            } catch (Exception e) {
                int attempts = holds.find(id).map(Held::attempts).orElse(0);
                Instant next = clock.instant().plus(properties.backOff(attempts));
                holds.attemptFailed(id, clock.instant(), next);
                audit.record(
                        "release-failed",
                        id,
                        null,
                        null,
                        null,
                        "attempt " + (attempts + 1) + ": " + e.getClass().getSimpleName() + ", next at " + next);
                log.warn("Release of held message {} failed, next attempt at {}: {}", id, next, e.toString());
            }
        }
    }

    private void undecided() {
        for (UUID id : holds.undecided(clock.instant(), BATCH)) {
            Held held = holds.find(id).orElse(null);
            if (held == null) {
                continue;
            }
            if (held.kind() == Kind.SELF_CHECK) {
                if (holds.expireSelfCheck(id, "expired")) {
                    audit.record("self-check-expired", id, null, held.envelopeFrom(), null, "not confirmed in time");
                }
            } else if (properties.approval().timeoutAction() == HoldProperties.TimeoutAction.RELEASE) {
                if (holds.approve(id, clock.instant(), "timeout")) {
                    audit.record("mail-approved", id, null, held.approver(), null, "timeout: released");
                }
            } else if (holds.reject(id, "timeout", "rejected")) {
                audit.record("mail-rejected", id, null, held.approver(), null, "timeout: rejected");
            }
        }
    }

    private void reminders() {
        for (UUID id : holds.remindersDue(clock.instant(), BATCH)) {
            Held held = holds.find(id).orElse(null);
            if (held == null || held.remindAt() == null) {
                continue;
            }
            Instant next = held.remindAt().plus(properties.approval().reminder());
            if (held.decideBy() != null && !next.isBefore(held.decideBy())) {
                next = null;
            }
            if (!holds.reminded(id, held.remindAt(), next)) {
                continue; // another replica reminds
            }
            try {
                HoldContext context = context(held);
                send(What.REMINDER, held.approver(), held, context, "/a/" + context.approvalToken());
                audit.record("approval-reminded", id, null, held.approver(), null, null);
            } catch (RuntimeException | IOException e) {
                log.warn("Could not remind the approver of held message {}: {}", id, e.toString());
            }
        }
    }

    private void giveUps() {
        Instant before = clock.instant().minus(properties.releaseGiveUp());
        for (UUID id : holds.failingSince(before, BATCH)) {
            if (holds.giveUp(id, "release-failed")) {
                audit.record("release-given-up", id, null, null, null, "failing since before " + before);
            }
        }
    }

    private void notices() {
        for (UUID id : holds.noticesDue(BATCH)) {
            Held held = holds.find(id).orElse(null);
            if (held == null || held.noticeDue() == null) {
                continue;
            }
            What what = switch (held.noticeDue()) {
                case "rejected" -> What.REJECTED;
                case "release-failed" -> What.RELEASE_FAILED;
                default -> What.EXPIRED;
            };
            try {
                HoldContext context = context(held);
                send(what, held.envelopeFrom(), held, context, null);
                holds.noticeSent(id, held.noticeDue());
                audit.record("sender-told", id, null, held.envelopeFrom(), null, held.noticeDue());
            } catch (RuntimeException | IOException e) {
                log.warn("Could not tell the sender of held message {} ({}), will retry: {}", id, what, e.toString());
            }
        }
    }

    private HoldContext context(Held held) throws IOException {
        return notices.context(held);
    }

    private void send(What what, String to, Held held, HoldContext context, String path) {
        notices.send(what, to, held, HeldNotices.recordedVerdicts(held, context), path);
    }

    /** For tests: the messages due now. */
    List<UUID> dueNow() {
        return holds.due(clock.instant(), BATCH);
    }
}
