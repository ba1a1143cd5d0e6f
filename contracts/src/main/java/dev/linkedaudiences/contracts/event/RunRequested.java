package dev.linkedaudiences.contracts.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** Someone asked for a run (Run Now) or enabled the audience; trigger is {@code manual} or {@code enable}. */
@RegisterForReflection
public record RunRequested(String audienceId, String trigger, Instant requestedAt) {
}
