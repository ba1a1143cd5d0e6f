package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.event.ActivationChanged;

/**
 * Body of an activation create; {@code backfill} and {@code enabled} default to true; {@code relationship}
 * is required by entity triggers.
 */
public record ActivationRequest(String audienceId, String destinationId, String action, String trigger,
                                String eventName, String relationship, ActivationChanged.Enrichment enrichment, Boolean backfill,
                                Boolean enabled) {
}
