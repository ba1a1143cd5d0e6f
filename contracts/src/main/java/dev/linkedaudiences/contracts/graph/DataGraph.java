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
        return Optional.ofNullable(catalog).map(c -> c.get(table)).map(cols -> cols.get(column));
    }

    public DataGraph withCatalog(Map<String, Map<String, DataType>> newCatalog) {
        return new DataGraph(entities, profile, newCatalog);
    }
}
