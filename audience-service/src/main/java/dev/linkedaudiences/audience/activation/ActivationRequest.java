package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.GuardRail;

/**
 * Body of an activation create; {@code backfill} and {@code enabled} default to true; {@code relationship}
 * is required by entity triggers; {@code maxEntitiesPerLevel} defaults to 10 (1 to 100) and {@code identifiers}
 * to {@code user_id_and_email} (see {@code IdentifierStrategy}).
 */
public record ActivationRequest(String audienceId, String destinationId, String action, String trigger,
                                String eventName, String relationship, ActivationChanged.Enrichment enrichment,
                                Integer maxEntitiesPerLevel, String identifiers, Boolean backfill, Boolean enabled,
                                GuardRail guardRail) {
}
