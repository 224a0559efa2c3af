package dev.todoke.templates;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.BooleanLiteral;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Elvis;
import org.springframework.expression.spel.ast.FloatLiteral;
import org.springframework.expression.spel.ast.IntLiteral;
import org.springframework.expression.spel.ast.LongLiteral;
import org.springframework.expression.spel.ast.MethodReference;
import org.springframework.expression.spel.ast.NullLiteral;
import org.springframework.expression.spel.ast.OpAnd;
import org.springframework.expression.spel.ast.OpEQ;
import org.springframework.expression.spel.ast.OpGE;
import org.springframework.expression.spel.ast.OpGT;
import org.springframework.expression.spel.ast.OpLE;
import org.springframework.expression.spel.ast.OpLT;
import org.springframework.expression.spel.ast.OpMinus;
import org.springframework.expression.spel.ast.OpNE;
import org.springframework.expression.spel.ast.OpOr;
import org.springframework.expression.spel.ast.OpPlus;
import org.springframework.expression.spel.ast.OperatorNot;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.RealLiteral;
import org.springframework.expression.spel.ast.StringLiteral;
import org.springframework.expression.spel.ast.Ternary;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The static check of an edited mail template (docs/adr/0095): an allow-list, not a deny-list. A template
 * may use only the {@code th:} attributes in {@link #ATTRIBUTES}; no fragment inclusion ({@code ~{}}),
 * no preprocessing ({@code __...__}), no message expressions, no unescaped output in HTML; and every
 * {@code ${...}} or {@code *{...}} must parse as a SpEL expression built only from the template's
 * variables, the members of the values they hold (see {@link #MEMBERS}), literals, comparisons, boolean
 * operators, {@code +}, {@code -}, the ternary and Elvis operators, and Thymeleaf's {@code #lists},
 * {@code #strings}, {@code #numbers} and {@code #bools}. Type references ({@code T(...)}), constructors,
 * bean references ({@code @bean}), indexers, assignments, selections, projections and any other method
 * are refused. Stateless.
 */
final class TemplateCheck {

    /** The {@code th:} attributes an edited template may use. */
    static final Set<String> ATTRIBUTES = Set.of(
            "text",
            "if",
            "unless",
            "each",
            "with",
            "block",
            "switch",
            "case",
            "href",
            "src",
            "alt",
            "title",
            "style",
            "class",
            "classappend",
            "remove",
            "inline",
            "lang",
            "width",
            "height");

    /** Names allowed after a dot: the components of the values the templates get, and a few plain getters. */
    static final Set<String> MEMBERS = Set.of(
            "name",
            "size",
            "address",
            "tls",
            "index",
            "count",
            "first",
            "last",
            "odd",
            "even",
            "current",
            "empty",
            "length",
            "where",
            "what",
            "original");

    /** Methods allowed: the record accessors above and harmless methods of strings and collections. */
    static final Set<String> METHODS = Set.of(
            "where",
            "what",
            "original",
            "name",
            "size",
            "address",
            "tls",
            "isEmpty",
            "contains",
            "length",
            "toUpperCase",
            "toLowerCase",
            "trim",
            "strip",
            "startsWith",
            "endsWith",
            "equals",
            "substring",
            "abbreviate",
            "capitalize",
            "defaultString",
            "formatInteger",
            "formatDecimal",
            "listJoin",
            "isTrue",
            "isFalse");

    private static final Set<String> UTILITIES = Set.of("#lists", "#strings", "#numbers", "#bools");

    private static final Pattern ATTRIBUTE =
            Pattern.compile("(?<![A-Za-z0-9_-])(?:data-)?th[:-]([A-Za-z][A-Za-z0-9-]*)");
    private static final Pattern EACH = Pattern.compile("th:each\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern WITH = Pattern.compile("th:with\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_DEPTH = 32;

    private final SpelExpressionParser parser = new SpelExpressionParser();

    /**
     * Checks a template against the variables it is given.
     *
     * @param body the template text
     * @param html true for an HTML template, false for a text template
     * @param variables the names of the variables the template gets
     * @return the first problem in words, or empty when the template passes
     */
    Optional<String> problem(String body, boolean html, Set<String> variables) {
        Matcher attribute = ATTRIBUTE.matcher(body);
        while (attribute.find()) {
            String name = attribute.group(1).toLowerCase(Locale.ROOT);
            if (!ATTRIBUTES.contains(name)) {
                return Optional.of("th:" + name + " is not allowed in a mail template");
            }
        }
        if (body.contains("~{")) {
            return Optional.of("fragment expressions (~{...}) are not allowed in a mail template");
        }
        if (body.contains("#{")) {
            return Optional.of("message expressions (#{...}) are not available in a mail template");
        }
        if (Pattern.compile("__[$*@#~]\\{").matcher(body).find()) {
            return Optional.of("preprocessing (__...__) is not allowed in a mail template");
        }
        if (html && body.contains("[(")) {
            return Optional.of("unescaped output [(...)] is not allowed in an HTML template: use [[...]]");
        }
        Set<String> names = new HashSet<>(variables);
        names.addAll(declared(body));
        List<String> expressions;
        try {
            expressions = expressions(body);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        for (String expression : expressions) {
            if (expression.contains("__")) {
                return Optional.of("preprocessing (__...__) is not allowed in a mail template");
            }
            SpelNode ast;
            try {
                ast = parser.parseRaw(expression).getAST();
            } catch (ParseException e) {
                return Optional.of("cannot parse ${" + expression + "}: " + e.getSimpleMessage());
            }
            Optional<String> refused = check(ast, names, true, 0);
            if (refused.isPresent()) {
                return Optional.of("${" + expression + "}: " + refused.get());
            }
        }
        return Optional.empty();
    }

    /** The names a template declares itself: {@code th:each} variables (and their status) and {@code th:with}. */
    private static Set<String> declared(String body) {
        Set<String> names = new HashSet<>();
        Matcher each = EACH.matcher(body);
        while (each.find()) {
            String value = each.group(1);
            int colon = value.indexOf(':');
            if (colon > 0) {
                for (String part : value.substring(0, colon).split(",")) {
                    String name = part.strip();
                    if (NAME.matcher(name).matches()) {
                        names.add(name);
                        names.add(name + "Stat");
                    }
                }
            }
        }
        Matcher with = WITH.matcher(body);
        while (with.find()) {
            for (String part : with.group(1).split(",")) {
                int equals = part.indexOf('=');
                String name = equals > 0 ? part.substring(0, equals).strip() : "";
                if (NAME.matcher(name).matches()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The SpEL text inside every {@code ${...}} and {@code *{...}}, quotes and nested braces respected. */
    static List<String> expressions(String body) {
        List<String> found = new ArrayList<>();
        int i = 0;
        while (i < body.length() - 1) {
            char c = body.charAt(i);
            if ((c == '$' || c == '*') && body.charAt(i + 1) == '{') {
                int start = i + 2;
                int depth = 1;
                int j = start;
                boolean quoted = false;
                while (j < body.length() && depth > 0) {
                    char d = body.charAt(j);
                    if (d == '\'') {
                        quoted = !quoted;
                    } else if (!quoted && d == '{') {
                        depth++;
                    } else if (!quoted && d == '}') {
                        depth--;
                    }
                    j++;
                }
                if (depth > 0) {
                    throw new IllegalArgumentException("an expression opened at character " + i + " is not closed");
                }
                found.add(body.substring(start, j - 1));
                i = j;
            } else {
                i++;
            }
        }
        return found;
    }

    private static Optional<String> check(SpelNode node, Set<String> names, boolean first, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.of("too deeply nested");
        }
        switch (node) {
            case CompoundExpression compound -> {
                for (int i = 0; i < compound.getChildCount(); i++) {
                    Optional<String> refused = check(compound.getChild(i), names, i == 0, depth + 1);
                    if (refused.isPresent()) {
                        return refused;
                    }
                }
                return Optional.empty();
            }
            case PropertyOrFieldReference property -> {
                String name = property.getName();
                boolean allowed = first ? names.contains(name) : MEMBERS.contains(name);
                return allowed ? Optional.empty() : Optional.of("unknown name " + name);
            }
            case MethodReference method -> {
                if (first || !METHODS.contains(method.getName())) {
                    return Optional.of("method " + method.getName() + "() is not allowed");
                }
                return children(node, names, depth);
            }
            case VariableReference variable -> {
                String name = variable.toStringAST();
                return first && UTILITIES.contains(name)
                        ? Optional.empty()
                        : Optional.of("variable " + name + " is not allowed");
            }
            case StringLiteral s -> {
                return Optional.empty();
            }
            case IntLiteral s -> {
                return Optional.empty();
            }
            case LongLiteral s -> {
                return Optional.empty();
            }
            case RealLiteral s -> {
                return Optional.empty();
            }
            case FloatLiteral s -> {
                return Optional.empty();
            }
            case BooleanLiteral s -> {
                return Optional.empty();
            }
            case NullLiteral s -> {
                return Optional.empty();
            }
            case OpAnd o -> {
                return children(node, names, depth);
            }
            case OpOr o -> {
                return children(node, names, depth);
            }
            case OperatorNot o -> {
                return children(node, names, depth);
            }
            case OpEQ o -> {
                return children(node, names, depth);
            }
            case OpNE o -> {
                return children(node, names, depth);
            }
            case OpGT o -> {
                return children(node, names, depth);
            }
            case OpGE o -> {
                return children(node, names, depth);
            }
            case OpLT o -> {
                return children(node, names, depth);
            }
            case OpLE o -> {
                return children(node, names, depth);
            }
            case OpPlus o -> {
                return children(node, names, depth);
            }
            case OpMinus o -> {
                return children(node, names, depth);
            }
            case Ternary o -> {
                return children(node, names, depth);
            }
            case Elvis o -> {
                return children(node, names, depth);
            }
            default -> {
                return Optional.of(node.getClass().getSimpleName() + " (" + node.toStringAST() + ") is not allowed");
            }
        }
    }

    /** Each child as an expression of its own (a method argument or an operand starts a new chain). */
    private static Optional<String> children(SpelNode node, Set<String> names, int depth) {
        for (int i = 0; i < node.getChildCount(); i++) {
            Optional<String> refused = check(node.getChild(i), names, true, depth + 1);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }
}
