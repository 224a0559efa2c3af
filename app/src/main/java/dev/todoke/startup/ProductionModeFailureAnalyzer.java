package dev.todoke.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a refused production start as Spring Boot's "APPLICATION FAILED TO START" block, one line per
 * problem and no stack trace. Registered in {@code META-INF/spring.factories}.
 */
class ProductionModeFailureAnalyzer extends AbstractFailureAnalyzer<ProductionModeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionModeException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Fix each setting named above (docs/production-mode.md lists what production needs), or start with"
                        + " todoke.mode=dev to try Todoke on its embedded defaults.",
                cause);
    }
}
