package dev.linkedaudiences.contracts.definition;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** An audience definition (audience-model.md section 3): groups combined with {@code operator}. */
@RegisterForReflection
public record AudienceDefinition(String operator, List<ConditionGroup> groups) {

    @RegisterForReflection
    public record ConditionGroup(String operator, List<Condition> conditions) {
    }
}
