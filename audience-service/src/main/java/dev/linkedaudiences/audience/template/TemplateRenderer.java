package dev.linkedaudiences.audience.template;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.context.MapValueResolver;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders destination templates as Iterable does: Handlebars over the message's properties. Iterable also
 * accepts {@code {{a[0].b}}}, which plain Handlebars reads differently, so array indexes written that way are
 * rewritten to the segment-literal form {@code {{a.[0].b}}} first.
 */
@ApplicationScoped
public class TemplateRenderer {
    private static final Pattern MUSTACHE = Pattern.compile("\\{\\{[^}]*}}");
    private static final Pattern BARE_INDEX = Pattern.compile("(?<=[\\w\\]])\\[(\\d+)]");
    private final Handlebars handlebars = new Handlebars();

    public String render(String template, Map<String, Object> payload) {
        try {
            return handlebars.compileInline(normalize(template))
                    .apply(Context.newBuilder(payload).resolver(MapValueResolver.INSTANCE).build());
        } catch (HandlebarsException | IOException e) {
            throw ApiException.invalid("/template", "the template does not compile: " + e.getMessage());
        }
    }

    /** {@code {{a[0].b}}} -> {@code {{a.[0].b}}}, only inside mustaches. */
    static String normalize(String template) {
        Matcher m = MUSTACHE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(BARE_INDEX.matcher(m.group()).replaceAll(".[$1]")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
