package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.List;

/**
 * How much an audience's run may change before a person looks at it: a run whose profiles entered plus exited exceed
 * {@code maxChangeCount}, or exceed {@code maxChangePercent} of the members before the run, is held before any event
 * is published (product.md, "Guard rails"). The percentage needs members before the run: a first run is held only
 * by the count. Either limit may be absent, not both.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuardRail(Double maxChangePercent, Long maxChangeCount) {

    /** The problems of a guard rail as given at {@code pointer}; empty when it is usable. */
    public List<FieldError> problems(String pointer) {
        List<FieldError> problems = new ArrayList<>();
        if (maxChangePercent == null && maxChangeCount == null) {
            problems.add(new FieldError(pointer, "a guard rail sets maxChangePercent, maxChangeCount or both"));
        }
        if (maxChangePercent != null && !(maxChangePercent > 0 && maxChangePercent <= 1000)) {
            problems.add(new FieldError(pointer + "/maxChangePercent", "maxChangePercent is above 0 and at most 1000"));
        }
        if (maxChangeCount != null && maxChangeCount < 1) {
            problems.add(new FieldError(pointer + "/maxChangeCount", "maxChangeCount is at least 1"));
        }
        return problems;
    }

    /**
     * Why a run of these changes must be held, or null when it may publish.
     *
     * @param membersBefore the audience's members as of its last successful run (0 before the first)
     */
    public String exceededBy(long entered, long exited, long membersBefore) {
        long changed = entered + exited;
        if (maxChangeCount != null && changed > maxChangeCount) {
            return changed + " profiles changed (" + entered + " entered, " + exited + " exited), more than maxChangeCount " + maxChangeCount;
        }
        if (maxChangePercent != null && membersBefore > 0 && changed * 100.0 / membersBefore > maxChangePercent) {
            return String.format(java.util.Locale.ROOT, "%d profiles changed (%d entered, %d exited), %.1f%% of the %d members before the run,"
                    + " more than maxChangePercent %s", changed, entered, exited, changed * 100.0 / membersBefore, membersBefore, maxChangePercent);
        }
        return null;
    }
}
