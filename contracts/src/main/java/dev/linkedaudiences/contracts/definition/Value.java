package dev.linkedaudiences.contracts.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A filter value: a constant, a profile trait, or a column of the same or an ancestor entity. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Value(@JsonProperty("const") Object constant, String trait, ColumnRef column) {

    /** How many of const, trait and column are given; a valid value gives exactly one. */
    public int kinds() {
        return (constant != null ? 1 : 0) + (trait != null ? 1 : 0) + (column != null ? 1 : 0);
    }

    @RegisterForReflection
    public record ColumnRef(String relationship, String column) {
    }
}
