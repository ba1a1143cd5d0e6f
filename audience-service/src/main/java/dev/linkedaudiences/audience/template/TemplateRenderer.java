package dev.linkedaudiences.audience.template;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Renders destination templates as Iterable does: Handlebars over the message's properties, with lines that hold
 * only a block tag ({@code {{#each}}}, {@code {{/each}}}, {@code {{else}}}) or a comment removed, as Mustache's
 * standalone-line rule says (handlebars-java's pretty print). Templates are a safe subset of Handlebars
 * ({@link TemplateSubset}, {@link SubsetHelpers}) rendered within {@link TemplateLimits}: anything else is a 400
 * problem at {@code /template}, whichever role asks.
 */
@ApplicationScoped
public class TemplateRenderer {
    private static final int MAX_REASON_CHARS = 200;
    private final TemplateLimits limits;

    public TemplateRenderer() {
        this(TemplateLimits.DEFAULT);
    }

    TemplateRenderer(TemplateLimits limits) {
        this.limits = limits;
    }

    public String render(String template, Map<String, Object> payload) {
        RenderBudget budget = new RenderBudget(limits);
        String checked = TemplateSubset.check(template, limits);
        // One Handlebars per render: its helpers and formatter charge this render's budget. It is cheap to make.
        Handlebars handlebars = new Handlebars(new NoPartials())
                .with(new SubsetHelpers(budget))
                .with((value, next) -> {
                    Object formatted = next.format(value);
                    CharSequence text = formatted instanceof CharSequence chars ? chars : formatted.toString();
                    budget.chargeOutput(text.length());
                    return text;
                })
                .prettyPrint(true);
        Template compiled;
        try {
            compiled = handlebars.compileInline(checked);
        } catch (HandlebarsException e) {
            throw ApiException.invalid("/template", "the template does not compile" + where(e.getError()));
        } catch (IOException e) {
            throw new IllegalStateException(e); // an inline template reads nothing
        }
        budget.checkTime();
        try {
            return compiled.apply(Context.newBuilder(payload).resolver(MapValueResolver.INSTANCE).build());
        } catch (HandlebarsException | IOException e) {
            throw limitIn(e).orElseThrow(() -> ApiException.invalid("/template", "the template cannot be rendered"
                    + (e instanceof HandlebarsException h ? where(h.getError()) : "")));
        }
    }

    /** The budget's own problem, which handlebars wraps on its way out of a helper or formatter. */
    private static Optional<ApiException> limitIn(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException problem) {
                return Optional.of(problem);
            }
        }
        return Optional.empty();
    }

    /** Line, column and reason, without the template text handlebars appends (it may be 64 Ki long). */
    private static String where(HandlebarsError error) {
        if (error == null) {
            return "";
        }
        String reason = error.reason == null ? "" : error.reason.lines().findFirst().orElse("");
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS) + "...";
        }
        return " at line " + error.line + ", column " + error.column + ": " + reason;
    }

    /** Partials are refused before compiling ({@link TemplateSubset}); this makes sure none could be read anyway. */
    private static final class NoPartials extends AbstractTemplateLoader {
        @Override
        public TemplateSource sourceAt(String location) throws IOException {
            throw new FileNotFoundException("templates have no partials");
        }
    }
}
