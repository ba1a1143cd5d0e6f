package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.GuardRail;

import java.time.Instant;
import java.util.Map;

/** An audience as the API shows it. */
public record AudienceView(String id, String key, String name, String description, boolean enabled,
                           Map<String, Object> schedule, AudienceDefinition definition, GuardRail guardRail,
                           Instant createdAt, Instant updatedAt) {
}
