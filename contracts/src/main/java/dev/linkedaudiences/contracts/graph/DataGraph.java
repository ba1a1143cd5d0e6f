package dev.linkedaudiences.contracts.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The installation's data graph (audience-model.md section 2). {@code catalog} is not part of what a user
 * sends: audience-service fills it with the warehouse's column types when it validates the graph, so that
 * every consumer compiles against the types the graph was checked with.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataGraph(List<EntityType> entities, ProfileBlock profile, Map<String, Map<String, DataType>> catalog) {
    /** The deepest a path of relationships goes, counting the profile as level 1 (profile -> accounts -> carts is 3). */
    public static final int MAX_DEPTH = 6;

    public Optional<EntityType> entity(String slug) {
        return entities.stream().filter(e -> e.slug().equals(slug)).findFirst();
    }

    /** Finds a relationship anywhere in the tree; slugs are unique across the graph. */
    public Optional<Relationship> relationship(String slug) {
        return allRelationships().stream().filter(r -> r.slug().equals(slug)).findFirst();
    }

    public List<Relationship> allRelationships() {
        List<Relationship> all = new ArrayList<>();
        collect(profile.relationshipsOrEmpty(), all);
        return all;
    }

    private static void collect(List<Relationship> level, List<Relationship> into) {
        for (Relationship r : level) {
            into.add(r);
            collect(r.relationshipsOrEmpty(), into);
        }
    }

    /** The data type of a column, or empty when the warehouse has no such column. */
    public Optional<DataType> columnType(String table, String column) {
        if (catalog == null || table == null || column == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(catalog.get(table)).map(columns -> columns.get(column));
    }

    public DataGraph withCatalog(Map<String, Map<String, DataType>> newCatalog) {
        return new DataGraph(entities, profile, newCatalog);
    }
}
