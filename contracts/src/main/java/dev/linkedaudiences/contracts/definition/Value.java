package dev.linkedaudiences.contracts.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A filter value: a constant, a profile trait, or a column of the same or an ancestor entity. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Value(@JsonProperty("const") Object constant, String trait, ColumnRef column) {

    @RegisterForReflection
    public record ColumnRef(String relationship, String column) {
    }
}
