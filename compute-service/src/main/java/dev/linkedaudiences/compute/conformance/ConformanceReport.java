package dev.linkedaudiences.compute.conformance;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * What a {@link ConformanceCheck} found: for each step how many definitions were compared and how many agreed
 * with the reference evaluator, how many definitions were not trivial (so that agreement means something), each
 * disagreement in detail (the first {@link ConformanceCheck#MAX_DISAGREEMENTS}), and whether what the check made
 * in the scratch schema was dropped.
 *
 * @param runStart    the instant the runs computed for: with the seed and the number of definitions, what reproduces the check
 * @param agreed      every step compared every definition and agreed on each
 * @param leftBehind  null when everything the check made was dropped; else what could not be, and why
 */
public record ConformanceReport(String engine, String scratchSchema, long seed, int definitions, Instant runStart, boolean agreed, List<Step> steps,
                                Coverage coverage, List<Disagreement> disagreements, int disagreementsNotShown, long elapsedMs,
                                boolean dropped, String leftBehind) {

    /** One step of the suite: definitions compared and those that agreed. */
    public record Step(String name, int compared, int agreed) {
    }

    /**
     * Definitions whose reference answer was not empty, per kind of answer: a generator that only made empty
     * audiences would agree everywhere and prove nothing.
     */
    public record Coverage(int withMembers, int withMatchedEntities, int withProfileChanges, int withEntityChanges) {
    }

    /**
     * One definition on which a step's result differed from the reference (or failed: {@code error}). Rows are
     * sorted and at most {@link ConformanceCheck#MAX_ROWS} of each list are shown; the counts are complete.
     */
    public record Disagreement(String step, int definitionIndex, JsonNode definition, int expectedCount, int actualCount,
                               List<String> expected, List<String> actual, List<String> missing, List<String> unexpected,
                               String error, String sql, List<String> parameters) {
    }
}
