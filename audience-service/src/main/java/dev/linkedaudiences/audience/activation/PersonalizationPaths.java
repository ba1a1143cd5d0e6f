package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
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
 * Entities show the columns the enrichment selects for their relationship (every column without a selection).
 * A profile trigger's enriched relationships are arrays under their slug, with the elements of the entity context.
 */
final class PersonalizationPaths {

    /** The paths, in the order a template author reads them, and a sample of the properties. */
    record Personalization(List<String> paths, Map<String, Object> samplePayload) {
    }

    static Personalization of(DataGraph graph, String audienceKey, ActivationChanged.Enrichment enrichment, Relationship relationship) {
        List<String> paths = new ArrayList<>();
        Map<String, Object> sample = new LinkedHashMap<>();
        paths.add("{{" + ActivationEvent.AUDIENCE_KEY_PROPERTY + "}}");
        sample.put(ActivationEvent.AUDIENCE_KEY_PROPERTY, audienceKey);
        for (String trait : enrichment.traitsOrEmpty()) {
            paths.add("{{" + trait + "}}");
            sample.put(trait, sampleValue(graph.columnType(graph.profile().traitsTableOrDefault(), trait).orElse(DataType.STRING), trait));
        }
        for (String slug : enrichment.relationshipsOrEmpty()) {
            graph.relationship(slug).ifPresent(enriched -> sample.put(slug, List.of(element(graph, enrichment, enriched, slug, paths))));
        }
        if (relationship != null) {
            columns(graph, enrichment, relationship).forEach((column, type) -> {
                paths.add("{{" + relationship.slug() + "__" + column + "}}");
                sample.put(relationship.slug() + "__" + column, sampleValue(type, column));
            });
            for (Relationship child : relationship.relationshipsOrEmpty()) {
                String array = relationship.slug() + "__" + child.slug();
                sample.put(array, List.of(element(graph, enrichment, child, array, paths)));
            }
            paths.add("{{__entity}}");
            sample.put("__entity", graph.entity(relationship.entity()).orElseThrow().slug());
        }
        return new Personalization(paths, sample);
    }

    /** A sample element of the array at {@code array} (its Handlebars path), adding the paths into it, its own arrays included. */
    private static Map<String, Object> element(DataGraph graph, ActivationChanged.Enrichment enrichment, Relationship relationship,
                                               String array, List<String> paths) {
        Map<String, Object> element = new LinkedHashMap<>();
        columns(graph, enrichment, relationship).forEach((column, type) -> {
            paths.add("{{" + array + ".[0]." + column + "}}");
            element.put(column, sampleValue(type, column));
        });
        paths.add("{{#each " + array + "}}...{{/each}}");
        element.put("__entity", graph.entity(relationship.entity()).orElseThrow().slug());
        for (Relationship child : relationship.relationshipsOrEmpty()) {
            element.put(child.slug(), List.of(element(graph, enrichment, child, array + ".[0]." + child.slug(), paths)));
        }
        return element;
    }

    /** The columns entities of the relationship show, with their types: the selection in its order, else all by name. */
    private static Map<String, DataType> columns(DataGraph graph, ActivationChanged.Enrichment enrichment, Relationship relationship) {
        EntityType entity = graph.entity(relationship.entity()).orElseThrow();
        Map<String, DataType> all = new TreeMap<>(graph.catalog() == null ? Map.of() : graph.catalog().getOrDefault(entity.table(), Map.of()));
        return enrichment.columnsOf(relationship.slug(), entity.primaryKey()).<Map<String, DataType>>map(selected -> {
            Map<String, DataType> columns = new LinkedHashMap<>();
            selected.forEach(column -> columns.put(column, all.getOrDefault(column, DataType.STRING)));
            return columns;
        }).orElse(all);
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
