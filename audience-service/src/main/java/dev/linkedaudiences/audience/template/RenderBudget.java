package dev.linkedaudiences.audience.template;

import dev.linkedaudiences.contracts.problem.ApiException;

/**
 * The work one render has left (see {@link TemplateLimits}). handlebars-java builds a block's output in memory
 * before it reaches the writer, so counting the writer's characters would come too late: loops and values are
 * charged here, before they produce anything.
 */
final class RenderBudget {
    private final TemplateLimits limits;
    private final long deadline;
    private long iterations;
    private long outputChars;

    RenderBudget(TemplateLimits limits) {
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.maxRenderTime().toNanos();
    }

    /** A loop about to run {@code elements} times over a body of {@code bodyChars} characters of source. */
    void chargeLoop(int elements, int bodyChars) {
        iterations += elements;
        if (iterations > limits.maxIterations()) {
            throw exceeded("loops more than " + limits.maxIterations() + " times in one render");
        }
        chargeOutput((long) elements * bodyChars);
    }

    /** A value about to be written. */
    void chargeOutput(long chars) {
        outputChars += chars;
        if (outputChars > limits.maxOutputChars()) {
            throw exceeded("renders more than " + limits.maxOutputChars() + " characters");
        }
        checkTime();
    }

    void checkTime() {
        if (System.nanoTime() - deadline > 0) {
            throw exceeded("takes longer than " + limits.maxRenderTime().toMillis() + " ms to render");
        }
    }

    private static ApiException exceeded(String what) {
        return ApiException.invalid("/template", "the template " + what + " (limit reached)");
    }
}
