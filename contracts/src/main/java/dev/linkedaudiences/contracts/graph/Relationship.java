package dev.linkedaudiences.contracts.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * An edge of the graph. At the profile level {@code join} uses {@code externalId} or {@code trait};
 * below it, {@code join} (1:many, parentColumn = column) or {@code junction} (many:many).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Relationship(String slug, String name, String entity, Join join, Junction junction,
                           List<Relationship> relationships) {

    public List<Relationship> relationshipsOrEmpty() {
        return relationships == null ? List.of() : relationships;
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Join(String externalId, String trait, String parentColumn, String column) {
    }

    @RegisterForReflection
    public record Junction(String table, String parentColumn, String parentKey, String column, String key) {
    }
}
