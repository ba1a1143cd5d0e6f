package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** A run reached {@code succeeded} or {@code failed}; published on run-results. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunCompleted(String runId, String audienceId, String audienceKey, String status, Long audienceSize,
                           Integer profilesEntered, Integer profilesExited, String error, Instant startedAt,
                           Instant finishedAt) {
}
