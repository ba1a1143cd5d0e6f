package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.GuardRail;

import java.time.Instant;

/** An activation as the API shows it. */
public record ActivationView(String id, String audienceId, String destinationId, String action, String trigger,
                             String eventName, String relationship, ActivationChanged.Enrichment enrichment,
                             int maxEntitiesPerLevel, String identifiers, boolean backfill, boolean enabled, String status,
                             String invalidReason, GuardRail guardRail, Instant createdAt) {
}
