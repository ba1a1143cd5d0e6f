package dev.linkedaudiences.contracts.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One condition; {@code type} says which fields apply:
 * entity (relationship, count, where, children), trait (trait, op, value), event (event, count, within, where),
 * audience (audience key). Kept as one record because the JSON is one shape with a discriminator.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(String type, Boolean negate, String relationship, Count count, FilterGroup where,
                        Children children, String trait, String op, Value value, String event, Within within,
                        String audience) {

    public static final String ENTITY = "entity";
    public static final String TRAIT = "trait";
    public static final String EVENT = "event";
    public static final String AUDIENCE = "audience";

    public boolean negated() {
        return Boolean.TRUE.equals(negate);
    }

    /** A missing count is {@code at_least 1}. */
    public Count countOrDefault() {
        return count == null ? new Count("at_least", 1L) : count;
    }

    /** {@code value} is boxed so that a missing value is reported rather than read as 0. */
    @RegisterForReflection
    public record Count(String op, @JsonDeserialize(using = WholeNumber.class) Long value) {
    }

    /** {@code amount} is boxed so that a missing amount is reported rather than read as 0. */
    @RegisterForReflection
    public record Within(@JsonDeserialize(using = WholeNumber.class) Long amount, String unit) {
    }

    @RegisterForReflection
    public record Children(String operator, List<Condition> conditions) {
    }

    @RegisterForReflection
    public record FilterGroup(String operator, List<Filter> filters) {
    }

    /** A filter on an entity {@code column} or an event {@code property}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filter(String column, String property, String op, Value value) {
        public String field() {
            return column != null ? column : property;
        }
    }
}
