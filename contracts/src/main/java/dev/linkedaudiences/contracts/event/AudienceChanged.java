package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/**
 * An audience was created, edited, enabled, disabled or deleted ({@code deleted = true}); published on
 * audience-definitions with the data graph it was validated against, and its guard rail (null: none).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AudienceChanged(String audienceId, String key, String name, boolean enabled, boolean deleted,
                              AudienceDefinition definition, Map<String, Object> schedule, DataGraph dataGraph,
                              Instant changedAt, GuardRail guardRail) {
}
