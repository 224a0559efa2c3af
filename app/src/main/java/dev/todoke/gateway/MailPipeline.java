package dev.todoke.gateway;

import dev.todoke.relay.RelayException;
import java.io.IOException;
import java.util.List;

/**
 * The gateway's steps in their order, run on one transaction at a time (see {@link MailStep} for the
 * contract). The order is fixed where the pipeline is built ({@link GatewayConfiguration}); a new step is
 * one more entry there. Thread-safe when its steps are.
 */
final class MailPipeline {

    private final List<MailStep> steps;

    MailPipeline(List<MailStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Runs the steps on one transaction until the last one or one that answers {@link MailStep.Next#DONE};
     * after {@link MailStep.Next#PASS_UNCHANGED} only steps that apply to unchanged mail run.
     *
     * @throws MailRefusal when a step refuses the mail; nothing after it runs
     * @throws IOException when a step cannot read or write the spool; nothing after it runs
     * @throws RelayException when the next hop fails a step; nothing after it runs
     */
    void run(MailTransaction mail) throws MailRefusal, IOException, RelayException {
        for (MailStep step : steps) {
            if (mail.isUnchanged() && !step.appliesToUnchangedMail()) {
                continue;
            }
            switch (step.apply(mail)) {
                case CONTINUE -> {}
                case PASS_UNCHANGED -> mail.passUnchanged();
                case DONE -> {
                    return;
                }
            }
        }
    }

    /** The steps after the first one of this type, as a pipeline of their own (the release of held mail). */
    MailPipeline after(Class<? extends MailStep> type) {
        for (int i = 0; i < steps.size(); i++) {
            if (type.isInstance(steps.get(i))) {
                return new MailPipeline(steps.subList(i + 1, steps.size()));
            }
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " in the pipeline");
    }

    /** The steps in the order they run. */
    List<MailStep> steps() {
        return steps;
    }
}
