package dev.todoke.relay;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code todoke.relay.host} is set to something: the SMTP next hop is active. {@link
 * NoRelayHost} is its opposite, for the dev outbox.
 */
public final class RelayHostCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String host = context.getEnvironment().getProperty("todoke.relay.host", "");
        return !host.isBlank();
    }

    /** Matches when no next hop host is configured: the dev outbox is the next hop. */
    public static final class NoRelayHost implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new RelayHostCondition().matches(context, metadata);
        }
    }
}
