package dev.linkedaudiences.contracts.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * One event for one activation and one profile, on activation-events. {@code message} is the Segment-spec
 * message of events.md (type, event, messageId, timestamp, userId, context, properties or traits), kept as
 * a map so that it reaches destinations exactly as compute-service built it.
 */
@RegisterForReflection
public record ActivationEvent(String activationId, String audienceId, String runId, String profileId,
                              String trigger, Map<String, Object> message) {

    public String messageId() {
        return (String) message.get("messageId");
    }

    /** The Kafka key: one profile's events for one activation share a partition, so they stay in order. */
    public String partitionKey() {
        return activationId + ":" + profileId;
    }
}
