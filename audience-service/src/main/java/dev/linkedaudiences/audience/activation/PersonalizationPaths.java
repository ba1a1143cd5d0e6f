package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Copy personalization syntax": the Handlebars paths an activation's messages carry (events.md, "The message"
 * and "Personalization"), and a sample payload of that shape built from the column types of the data graph.
 */
final class PersonalizationPaths {

    /** The paths, in the order a template author reads them, and a sample of the properties. */
    record Personalization(List<String> paths, Map<String, Object> samplePayload) {
    }

    static Personalization of(DataGraph graph, String audienceKey, List<String> traits, Relationship relationship) {
        List<String> paths = new ArrayList<>();
        Map<String, Object> sample = new LinkedHashMap<>();
        paths.add("{{audience_key}}");
        sample.put("audience_key", audienceKey);
        for (String trait : traits) {
            paths.add("{{" + trait + "}}");
            sample.put(trait, sampleValue(graph.columnType(graph.profile().traitsTableOrDefault(), trait).orElse(DataType.STRING), trait));
        }
        if (relationship != null) {
            EntityType entity = graph.entity(relationship.entity()).orElseThrow();
            columns(graph, entity).forEach((column, type) -> {
                paths.add("{{" + relationship.slug() + "__" + column + "}}");
                sample.put(relationship.slug() + "__" + column, sampleValue(type, column));
            });
            for (Relationship child : relationship.relationshipsOrEmpty()) {
                String array = relationship.slug() + "__" + child.slug();
                EntityType childEntity = graph.entity(child.entity()).orElseThrow();
                Map<String, Object> element = new LinkedHashMap<>();
                columns(graph, childEntity).forEach((column, type) -> {
                    paths.add("{{" + array + ".[0]." + column + "}}");
                    element.put(column, sampleValue(type, column));
                });
                paths.add("{{#each " + array + "}}...{{/each}}");
                element.put("__entity", childEntity.slug());
                sample.put(array, List.of(element));
            }
            paths.add("{{__entity}}");
            sample.put("__entity", entity.slug());
        }
        return new Personalization(paths, sample);
    }

    private static Map<String, DataType> columns(DataGraph graph, EntityType entity) {
        return new TreeMap<>(graph.catalog() == null ? Map.of() : graph.catalog().getOrDefault(entity.table(), Map.of()));
    }

    private static Object sampleValue(DataType type, String name) {
        return switch (type) {
            case NUMBER -> 42;
            case BOOLEAN -> true;
            case DATE -> "2026-11-24";
            case TIME -> "08:00:00";
            case TIMESTAMP -> "2026-11-24 08:00:00 +00:00";
            default -> "<" + name + ">";
        };
    }

    private PersonalizationPaths() {
    }
}
