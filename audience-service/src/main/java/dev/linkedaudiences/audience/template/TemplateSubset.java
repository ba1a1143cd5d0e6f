package dev.linkedaudiences.audience.template;

import com.github.jknack.handlebars.internal.HbsLexer;
import com.github.jknack.handlebars.internal.antlr.BaseErrorListener;
import com.github.jknack.handlebars.internal.antlr.CharStreams;
import com.github.jknack.handlebars.internal.antlr.RecognitionException;
import com.github.jknack.handlebars.internal.antlr.Recognizer;
import com.github.jknack.handlebars.internal.antlr.Token;
import dev.linkedaudiences.contracts.problem.ApiException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Handlebars subset templates are written in, checked in one pass over handlebars-java's own lexer (so the
 * check sees exactly the tokens its parser will, strings and escapes included) before anything is parsed:
 * <ul>
 * <li>no partials ({@code {{> p}}}, {@code {{#> p}}}), decorators ({@code {{*inline}}}, {@code {{#*inline}}}),
 *     delimiter changes ({@code {{= =}}}), raw blocks ({@code {{{{raw}}}}}) or subexpressions ({@code (x)});</li>
 * <li>only {@link SubsetHelpers#NAMES} take parameters, so no other helper can be called;</li>
 * <li>at most {@link TemplateLimits#maxNesting()} blocks open at once: the parser and the render recurse once per
 *     level (and once per {@code {{else if}}}), so deeper nesting would overflow the stack.</li>
 * </ul>
 * A lexing error is refused here too: the parser pulls tokens as it descends, so it would recurse through
 * everything before the error first. The lexer is linear in the template's size, and so is this pass.
 * <p>
 * The pass also rewrites Iterable's array index form {@code {{a[0].b}}} to handlebars' {@code {{a.[0].b}}}.
 */
final class TemplateSubset {
    private static final String HELPERS = String.join(", ", SubsetHelpers.NAMES.stream().sorted().toList());
    /** How the lexer splits {@code a[0].b}: {@code a}, then {@code [0].b} right after it. */
    private static final Pattern LEADING_INDEX = Pattern.compile("\\[\\d+].*", Pattern.DOTALL);

    private TemplateSubset() {
    }

    /** The template as handlebars should compile it, or a 400 naming what is outside the subset. */
    static String check(String template, TemplateLimits limits) {
        if (template.length() > limits.maxTemplateChars()) {
            throw refused("is longer than " + limits.maxTemplateChars() + " characters (limit reached)");
        }
        HbsLexer lexer = new HbsLexer(CharStreams.fromString(template), "{{", "}}");
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg, RecognitionException e) {
                throw refused("does not compile at line " + line + ", column " + (column + 1) + ": unexpected character");
            }
        });
        StringBuilder normalized = new StringBuilder();
        int copied = 0;
        Deque<int[]> open = new ArrayDeque<>(); // per open block: the levels it holds, 1 + its {{else if}}s
        int depth = 0;
        Token tag = null; // the token opening the mustache being read
        List<Token> inside = new ArrayList<>();
        Token previous = null;
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; previous = token, token = lexer.nextToken()) {
            int type = token.getType();
            refuseOutsideTheSubset(token);
            if (opensTag(type)) {
                tag = token;
                inside.clear();
            } else if (tag != null && (type == HbsLexer.END || type == HbsLexer.END_T)) {
                switch (tag.getType()) {
                    case HbsLexer.START_BLOCK -> depth += openBlock(open);
                    case HbsLexer.UNLESS -> depth += inside.isEmpty() ? 0 : openBlock(open); // {{^}} alone is an else
                    case HbsLexer.END_BLOCK -> depth -= open.isEmpty() ? 0 : open.pop()[0];
                    default -> {
                        if (isElse(inside) && inside.size() > 1 && !open.isEmpty()) {
                            open.peek()[0]++;
                            depth++;
                        }
                    }
                }
                if (depth > limits.maxNesting()) {
                    throw refused("nests blocks more than " + limits.maxNesting() + " deep at line " + tag.getLine() + " (limit reached)");
                }
                if (tag.getType() != HbsLexer.END_BLOCK) {
                    refuseUnknownHelper(tag, isElse(inside) ? inside.subList(1, inside.size()) : inside);
                }
                tag = null;
            } else if (tag != null) {
                if (isPath(type) && previous != null && isPath(previous.getType()) && previous.getStopIndex() + 1 == token.getStartIndex()
                        && LEADING_INDEX.matcher(token.getText()).matches()) {
                    normalized.append(template, copied, token.getStartIndex()).append('.');
                    copied = token.getStartIndex();
                } else {
                    inside.add(token);
                }
            }
        }
        return normalized.isEmpty() ? template : normalized.append(template, copied, template.length()).toString();
    }

    private static int openBlock(Deque<int[]> open) {
        open.push(new int[] {1});
        return 1;
    }

    private static void refuseOutsideTheSubset(Token token) {
        String what = switch (token.getType()) {
            case HbsLexer.START_PARTIAL, HbsLexer.START_PARTIAL_BLOCK -> "partials ({{> name}})";
            case HbsLexer.DECORATOR -> "decorators and inline partials ({{#*inline}})";
            case HbsLexer.START_DELIM -> "delimiter changes ({{= =}})";
            case HbsLexer.START_RAW, HbsLexer.END_RAW_BLOCK -> "raw blocks ({{{{raw}}}})";
            case HbsLexer.LP -> "subexpressions ((helper x))";
            default -> null;
        };
        if (what != null) {
            throw refused("uses " + what + " at line " + token.getLine() + ", which templates may not");
        }
    }

    /** A name followed by anything (parameters, a hash, block parameters) is a helper call. */
    private static void refuseUnknownHelper(Token tag, List<Token> expression) {
        if (expression.size() > 1 && !SubsetHelpers.NAMES.contains(expression.get(0).getText())) {
            throw refused("calls '" + expression.get(0).getText() + "' at line " + tag.getLine()
                    + ", which is not a helper templates may use (" + HELPERS + ")");
        }
    }

    private static boolean isElse(List<Token> inside) {
        return !inside.isEmpty() && inside.get(0).getType() == HbsLexer.ELSE;
    }

    private static boolean opensTag(int type) {
        return type == HbsLexer.START || type == HbsLexer.START_T || type == HbsLexer.START_AMP
                || type == HbsLexer.START_BLOCK || type == HbsLexer.UNLESS || type == HbsLexer.END_BLOCK;
    }

    private static boolean isPath(int type) {
        return type == HbsLexer.QID || type == HbsLexer.PATH;
    }

    private static ApiException refused(String why) {
        return ApiException.invalid("/template", "the template " + why);
    }
}
