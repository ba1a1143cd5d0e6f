package dev.linkedaudiences.audience.template;

import java.time.Duration;

/**
 * What one template may cost. Every limit, when crossed, is a 400 problem at {@code /template} that names it.
 *
 * @param maxTemplateChars characters of template source; parsing is linear in them
 * @param maxNesting       blocks open at once, each {@code {{else if}}} counting as one more (render recursion)
 * @param maxIterations    loop iterations ({@code {{#each}}} and sections over lists) across one render
 * @param maxOutputChars   characters one render may produce: values written plus each loop body's source
 *                         length per iteration, so the cost is charged before the loop's output is built
 * @param maxRenderTime    wall time for one parse and render, checked at every helper call and value written
 */
public record TemplateLimits(int maxTemplateChars, int maxNesting, long maxIterations, long maxOutputChars,
                             Duration maxRenderTime) {

    /** 64 Ki characters is many times the largest email template; 1 Mi characters is ten times Gmail's clipping size. */
    public static final TemplateLimits DEFAULT = new TemplateLimits(64 * 1024, 32, 100_000, 1024 * 1024, Duration.ofSeconds(2));
}
