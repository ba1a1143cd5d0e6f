package dev.linkedaudiences.compute.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A run as the API shows it (product.md, "Runs"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String id, String audienceId, String status, String trigger, Instant queuedAt, Instant startedAt,
                      Instant finishedAt, Steps steps, Long audienceSize, Changes changes, String error,
                      int attempts, String executedBy, Hold hold) {

    /** Step durations in milliseconds; absent for steps a run did not reach or did not need. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Steps(Long queueing, Long extractingFromWarehouse, Long preparingToDeliverEvents) {
    }

    public record Changes(Integer profilesEntered, Integer profilesExited) {
    }

    /** Why the audience's guard rail held the run, and who approved or discarded it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hold(String reason, String resolvedBy, Instant resolvedAt) {
    }

    static RunView of(RunRecord r) {
        return new RunView(r.id, r.audienceId, r.status, r.trigger, r.queuedAt, r.startedAt, r.finishedAt,
                new Steps(r.queueingMs, r.extractingMs, r.preparingMs), r.audienceSize,
                r.profilesEntered == null ? null : new Changes(r.profilesEntered, r.profilesExited), r.error,
                r.attempts, r.executedBy, r.heldBecause == null ? null : new Hold(r.heldBecause, r.resolvedBy, r.resolvedAt));
    }
}
