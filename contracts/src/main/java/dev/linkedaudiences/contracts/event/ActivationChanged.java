package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An activation was created, changed or deleted; published on activation-definitions. It carries the
 * destination settings, secrets included, because delivery-service needs them to send: the topic is
 * internal and must be protected like the databases. {@code relationship} names the relationship whose
 * matched entities an {@code entity_entered}/{@code entity_exited} trigger watches (null for profile triggers).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivationChanged(String activationId, String audienceId, String audienceKey, String trigger,
                                String eventName, String relationship, Enrichment enrichment, boolean backfill, boolean enabled,
                                String status, boolean deleted, Destination destination, Instant changedAt) {

    /** Which profile traits become top-level properties of the message. */
    @RegisterForReflection
    public record Enrichment(List<String> traits) {
        public List<String> traitsOrEmpty() {
            return traits == null ? List.of() : traits;
        }
    }

    /** A configured destination instance and the action this activation performs on it. */
    @RegisterForReflection
    public record Destination(String destinationId, String type, String action, Map<String, String> settings) {
    }
}
