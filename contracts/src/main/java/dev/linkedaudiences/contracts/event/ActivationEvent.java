package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * One event for one activation and one profile, on activation-events. {@code message} is the Segment-spec
 * message of events.md (type, event, messageId, timestamp, userId, context, properties or traits), kept as
 * a map so that it reaches destinations exactly as compute-service built it.
 * <p>
 * {@code filteredAtSource} is null for an event to deliver; otherwise the reason compute-service did not
 * let it out (e.g. {@code payload_too_large}). Such an event still travels, so that delivery-service counts it
 * in the same overview as every other, but it is never sent.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivationEvent(String activationId, String audienceId, String runId, String profileId,
                              String trigger, Map<String, Object> message, String filteredAtSource) {

    /** The property every track message carries: the key of the audience it comes from (events.md). */
    public static final String AUDIENCE_KEY_PROPERTY = "audience_key";

    /** An event to deliver. */
    public ActivationEvent(String activationId, String audienceId, String runId, String profileId,
                           String trigger, Map<String, Object> message) {
        this(activationId, audienceId, runId, profileId, trigger, message, null);
    }

    public String messageId() {
        return (String) message.get("messageId");
    }

    /** The Kafka key: one profile's events for one activation share a partition, so they stay in order. */
    public String partitionKey() {
        return activationId + ":" + profileId;
    }
}
