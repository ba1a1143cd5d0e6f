package dev.linkedaudiences.audience.template;

import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The template subset and its limits (issue 12, findings 2 and 3), without the HTTP layer. */
class TemplateRendererTest {
    private static final List<Integer> TWO_HUNDRED = IntStream.range(0, 200).boxed().toList();
    private final TemplateRenderer renderer = new TemplateRenderer();

    /** The one problem a refused template answers: at /template, its message containing {@code expected}. */
    private static String refusal(TemplateRenderer renderer, String template, Map<String, Object> payload, String expected) {
        ApiException problem = assertThrows(ApiException.class, () -> renderer.render(template, payload), template);
        assertEquals(400, problem.status());
        FieldError error = problem.errors().get(0);
        assertEquals("/template", error.pointer());
        assertTrue(error.message().contains(expected), error.message());
        return error.message();
    }

    private String refusal(String template, String expected) {
        return refusal(renderer, template, Map.of("a", TWO_HUNDRED, "x", "v"), expected);
    }

    @Test
    void i18nCannotReadAConfigurationKey() {
        // before: the marker rendered, as quarkus.datasource.password did from the bundle "application"
        String message = refusal("{{i18n \"marker\" bundle=\"template-leak-marker\"}}", "calls 'i18n'");
        assertFalse(message.contains("LEAK-MARKER"), message);
        refusal("{{#if x}}{{i18nJs \"marker\" bundle=\"template-leak-marker\"}}{{/if}}", "calls 'i18nJs'");
    }

    @Test
    void logCannotWriteALogLine() {
        refusal("{{log \"x\n2026-01-01 12:00:00,000 INFO forged line\"}}", "calls 'log'");
        assertEquals("", renderer.render("{{log}}", Map.of()), "without parameters it is a value, absent here");
    }

    @Test
    void onlyIfUnlessEachAndWithAreHelpers() {
        for (String template : List.of("{{lookup a 0}}", "{{embedded \"x\"}}", "{{precompile \"x\"}}", "{{#block \"x\"}}{{/block}}",
                "{{partial \"x\"}}", "{{x y}}", "{{x y=1}}", "{{#if x}}{{else lookup a 0}}{{/if}}")) {
            refusal(template, "not a helper templates may use (each, if, unless, with)");
        }
        assertEquals("yes|no|v|01", renderer.render("{{#if x}}yes{{/if}}|{{#unless x}}{{else}}no{{/unless}}|{{#with x}}{{this}}{{/with}}|"
                + "{{#each a}}{{@index}}{{/each}}", Map.of("x", "v", "a", List.of(7, 8))));
    }

    @Test
    void partialsCannotBeDefinedOrRead() {
        // before: a recursive inline partial overflowed the stack (500)
        refusal("{{#*inline \"r\"}}{{> r}}{{/inline}}{{> r}}", "inline partials");
        refusal("{{*inline \"r\"}}", "inline partials");
        refusal("{{> application.properties}}", "partials");
        refusal("{{#> layout}}x{{/layout}}", "partials");
    }

    @Test
    void threeNestedLoopsOver200ElementsStopAtTheLoopLimit() {
        // before: 200^3 iterations, 10.8 s
        refusal("{{#each a}}{{#each ../a}}{{#each ../../a}}{{this}}{{/each}}{{/each}}{{/each}}", "(limit reached)");
        refusal("{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}", "loops more than 100000 times");
        refusal("{{#each a}}{{#each ../a}}{{#each ../../a}}{{/each}}{{/each}}{{/each}}", "loops more than 100000 times");
    }

    @Test
    void outputIsBoundedBeforeItIsBuilt() {
        refusal(renderer, "{{#each a}}{{../big}}{{/each}}", Map.of("a", TWO_HUNDRED, "big", "x".repeat(10_000)),
                "renders more than 1048576 characters");
        refusal("{{#each a}}{{#each ../a}}" + "x".repeat(50) + "{{/each}}{{/each}}", "renders more than 1048576 characters");
    }

    @Test
    void renderingStopsAtTheTimeLimit() {
        TemplateRenderer noTime = new TemplateRenderer(new TemplateLimits(64 * 1024, 32, 100_000, 1024 * 1024, Duration.ZERO));
        refusal(noTime, "{{#each a}}{{this}}{{/each}}", Map.of("a", List.of(1)), "takes longer than 0 ms to render");
    }

    @Test
    void templatesAreRefusedBeyond64KiCharactersAndParsedLinearly() {
        // before: 80,000 '{' took 78 s in the normalizing regex
        refusal("{".repeat(80_000), "is longer than 65536 characters");
        // within the limit, handlebars' lexer refuses them at once
        refusal("{".repeat(64 * 1024), "the template");
        refusal("{{".repeat(32 * 1024), "the template");
        refusal("{{x \"".repeat(13_000), "does not compile");
        assertEquals(64 * 1024, renderer.render("x".repeat(64 * 1024), Map.of()).length());
    }

    @Test
    void nestingIsBoundedWhereverTheTagsHide() {
        refusal("{{#with a}}".repeat(33) + "{{/with}}".repeat(33), "nests blocks more than 32 deep");
        // a string holding a closing tag closes nothing
        refusal("{{#with a \"{{/with}}\"}}".repeat(33) + "{{/with}}".repeat(33), "nests blocks more than 32 deep");
        refusal("{{#if a}}" + "{{else if a}}".repeat(32) + "{{/if}}", "nests blocks more than 32 deep");
        refusal("{{#with a}}{{^with b}}".repeat(17) + "{{/with}}".repeat(34), "nests blocks more than 32 deep");
        String deepest = "{{#with a}}".repeat(32) + "{{x}}" + "{{/with}}".repeat(32);
        assertEquals("", renderer.render(deepest, Map.of()));
        // comments and escapes are text: they close nothing either
        assertEquals("{{/if}}", renderer.render("{{#if x}}".repeat(32) + "{{!-- {{/if}} --}}\\{{/if}}" + "{{/if}}".repeat(32),
                Map.of("x", true)));
    }

    @Test
    void whatTheSubsetLeavesOutIsRefused() {
        refusal("{{#if (with a)}}x{{/if}}", "subexpressions");
        refusal("{{=<% %>=}}<% x %>", "delimiter changes");
        refusal("{{{{raw}}}}{{x}}{{{{/raw}}}}", "raw blocks");
    }

    @Test
    void iterableArrayIndexesWorkOutsideStrings() {
        Map<String, Object> payload = Map.of("a", List.of(Map.of("b", "first"), Map.of("b", List.of("x", "y"))));
        assertEquals("first|first|y|y|a[0]", renderer.render(
                "{{a[0].b}}|{{a.[0].b}}|{{a[1].b[1]}}|{{#with a[1]}}{{b[1]}}{{/with}}|{{#if x}}{{else}}{{#with \"a[0]\"}}{{this}}{{/with}}{{/if}}",
                payload));
    }

    @Test
    void linesHoldingOnlyABlockTagAreRemoved() {
        assertEquals("a\n  yes\nb\n1\n2\n", renderer.render("a\n  {{#if x}}\n  yes\n  {{else}}\n  no\n  {{/if}}\nb\n{{#each n}}\n{{this}}\n{{/each}}\n",
                Map.of("x", true, "n", List.of(1, 2))));
        assertEquals("", renderer.render("{{! a comment }}\n", Collections.emptyMap()));
    }
}
