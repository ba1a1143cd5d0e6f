package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/**
 * Someone asked for a run (Run Now) or enabled the audience; trigger is {@code manual} or {@code enable}.
 * {@code activations} are the audience's activations when the run was asked for, each with the {@code changedAt}
 * of its last announcement on activation-definitions: the run waits until compute-service has read at least those
 * (another topic, whose partitions may reach a restarted instance later), so it sees every one of them.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRequested(String audienceId, String trigger, Instant requestedAt, Map<String, Instant> activations) {

    public RunRequested(String audienceId, String trigger, Instant requestedAt) {
        this(audienceId, trigger, requestedAt, null);
    }

    public Map<String, Instant> activationsOrEmpty() {
        return activations == null ? Map.of() : activations;
    }
}
