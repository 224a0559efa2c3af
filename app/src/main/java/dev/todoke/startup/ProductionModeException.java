package dev.todoke.startup;

import java.util.List;

/**
 * Production mode found unsafe settings: thrown once at start-up with every problem, one line each.
 * {@link ProductionModeFailureAnalyzer} turns it into Spring Boot's start-up failure report.
 */
final class ProductionModeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    ProductionModeException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }

    static String describe(List<String> problems) {
        StringBuilder text = new StringBuilder("Todoke refuses to start: todoke.mode=production and ")
                .append(problems.size())
                .append(problems.size() == 1 ? " setting is" : " settings are")
                .append(" unsafe:");
        problems.forEach(p -> text.append("\n  - ").append(p));
        return text.toString();
    }
}
