package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.GuardRail;

import java.util.Map;

/** Body of create and update; {@code key} is immutable after create; {@code guardRail} is optional. */
public record AudienceRequest(String key, String name, String description, Map<String, Object> schedule,
                              AudienceDefinition definition, GuardRail guardRail) {
}
