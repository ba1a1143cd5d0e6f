package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.ProfileBlock;
import dev.linkedaudiences.contracts.graph.Relationship;
import dev.linkedaudiences.contracts.problem.FieldError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a data graph (audience-model.md section 2): its shape, then every table, column and key against the
 * warehouse catalog. Collects every problem with the JSON pointer of the offending field.
 */
final class DataGraphValidator {
    /** The level of the profile's own relationships, the profile being level 1. */
    private static final int PROFILE_CHILDREN = 2;
    private static final Pattern SLUG = Pattern.compile("[a-z0-9_-]+");

    private final DataGraph graph;
    private final Map<String, Map<String, DataType>> catalog;
    private final List<FieldError> errors = new ArrayList<>();
    private final Set<String> relationshipSlugs = new HashSet<>();
    private final Map<String, EntityType> entitiesBySlug = new HashMap<>();

    private DataGraphValidator(DataGraph graph, Map<String, Map<String, DataType>> catalog) {
        this.graph = graph;
        this.catalog = catalog;
    }

    /** The schemas whose tables the graph names (null = the warehouse's default schema). */
    static Set<String> schemasOf(DataGraph graph) {
        Set<String> schemas = new LinkedHashSet<>();
        schemas.add(graph.profile() == null ? null : graph.profile().schema());
        if (graph.entities() != null) {
            graph.entities().stream().filter(Objects::nonNull).map(EntityType::table).forEach(t -> schemas.add(schemaOf(t)));
        }
        if (graph.profile() != null) {
            junctionTables(graph.profile().relationshipsOrEmpty(), schemas);
        }
        return schemas;
    }

    private static void junctionTables(List<Relationship> level, Set<String> schemas) {
        for (Relationship r : level) {
            if (r != null && r.junction() != null) {
                schemas.add(schemaOf(r.junction().table()));
            }
            if (r != null) {
                junctionTables(r.relationshipsOrEmpty(), schemas);
            }
        }
    }

    /**
     * The first field of the graph that names this schema (the profile's schema, an entity's or a junction's table),
     * for a problem with the schema itself; the root when none does.
     */
    static String pointerNaming(DataGraph graph, String schema) {
        if (graph.profile() != null && Objects.equals(graph.profile().schema(), schema)) {
            return "/profile/schema";
        }
        for (int i = 0; graph.entities() != null && i < graph.entities().size(); i++) {
            EntityType e = graph.entities().get(i);
            if (e != null && Objects.equals(schemaOf(e.table()), schema)) {
                return "/entities/" + i + "/table";
            }
        }
        String junction = graph.profile() == null ? null : junctionNaming(graph.profile().relationshipsOrEmpty(), "/profile/relationships", schema);
        return junction == null ? "" : junction;
    }

    private static String junctionNaming(List<Relationship> level, String at, String schema) {
        for (int i = 0; i < level.size(); i++) {
            Relationship r = level.get(i);
            if (r == null) {
                continue;
            }
            if (r.junction() != null && Objects.equals(schemaOf(r.junction().table()), schema)) {
                return at + "/" + i + "/junction/table";
            }
            String below = junctionNaming(r.relationshipsOrEmpty(), at + "/" + i + "/relationships", schema);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    private static String schemaOf(String table) {
        return table != null && table.contains(".") ? table.substring(0, table.indexOf('.')) : null;
    }

    static List<FieldError> validate(DataGraph graph, Map<String, Map<String, DataType>> catalog) {
        DataGraphValidator v = new DataGraphValidator(graph, catalog);
        v.run();
        return v.errors;
    }

    private void run() {
        if (graph.entities() == null || graph.entities().isEmpty()) {
            error("/entities", "at least one entity is required");
        } else {
            for (int i = 0; i < graph.entities().size(); i++) {
                entity(graph.entities().get(i), "/entities/" + i);
            }
        }
        if (graph.profile() == null) {
            error("/profile", "the profile block is required");
            return;
        }
        profile(graph.profile());
    }

    private void entity(EntityType e, String at) {
        if (e == null) {
            error(at, "an entity is an object");
            return;
        }
        slug(e.slug(), at + "/slug");
        if (e.slug() != null && entitiesBySlug.putIfAbsent(e.slug(), e) != null) {
            error(at + "/slug", "duplicate entity slug '" + e.slug() + "'");
        }
        if (e.table() == null || e.table().isBlank()) {
            error(at + "/table", "a table is required");
        } else {
            table(e.table(), at + "/table");
        }
        column(e.table(), e.primaryKey(), at + "/primaryKey");
    }

    private void profile(ProfileBlock p) {
        String traits = p.traitsTableOrDefault();
        String identifiers = p.identifiersTableOrDefault();
        if (table(traits, "/profile/traitsTable")) {
            column(traits, "canonical_segment_id", "/profile/traitsTable");
            column(traits, "merged_to", "/profile/traitsTable");
        }
        if (table(identifiers, "/profile/identifiersTable")) {
            for (String c : List.of("canonical_segment_id", "type", "value")) {
                column(identifiers, c, "/profile/identifiersTable");
            }
        }
        String idGraph = p.idGraphTableQualified();
        if (idGraph != null && table(idGraph, "/profile/idGraphTable")) {
            column(idGraph, "segment_id", "/profile/idGraphTable");
            column(idGraph, "canonical_segment_id", "/profile/idGraphTable");
        }
        if (p.eventTables() != null) {
            p.eventTables().forEach((event, t) -> {
                String at = "/profile/eventTables/" + event.replace("~", "~0").replace("/", "~1");
                String table = p.eventTable(event);
                if (table(table, at)) {
                    column(table, "segment_id", at);
                    column(table, "timestamp", at);
                }
            });
        }
        relationships(p.relationshipsOrEmpty(), "/profile/relationships", null, PROFILE_CHILDREN);
    }

    /**
     * One level of relationships and, depth first, the levels below it.
     *
     * @param parent the entity of the parent relationship; null at the profile level, or when the parent's entity is
     *               unknown (already reported), in which case only what does not depend on it is checked
     */
    private void relationships(List<Relationship> level, String at, EntityType parent, int depth) {
        for (int i = 0; i < level.size(); i++) {
            String here = at + "/" + i;
            Relationship r = level.get(i);
            if (r == null) {
                error(here, "a relationship is an object");
                continue;
            }
            if (depth > DataGraph.MAX_DEPTH) {
                error(here, "the graph is at most " + DataGraph.MAX_DEPTH + " levels deep, counting the profile");
                continue;
            }
            slug(r.slug(), here + "/slug");
            if (r.slug() != null && !relationshipSlugs.add(r.slug())) {
                error(here + "/slug", "relationship slugs are unique across the graph; '" + r.slug() + "' repeats");
            }
            EntityType child = r.entity() == null ? null : entitiesBySlug.get(r.entity());
            if (child == null) {
                error(here + "/entity", r.entity() == null ? "an entity is required" : "unknown entity '" + r.entity() + "'");
            }
            if (depth == PROFILE_CHILDREN) {
                profileJoin(r, here, child);
            } else {
                entityJoin(r, here, parent, child);
            }
            relationships(r.relationshipsOrEmpty(), here + "/relationships", child, depth + 1);
        }
    }

    /** A relationship of the profile joins on an external id or a trait: {@code {externalId|trait, column}}. */
    private void profileJoin(Relationship r, String at, EntityType child) {
        if (r.junction() != null) {
            error(at + "/junction", "a relationship of the profile joins with join {externalId or trait, column}, not a junction");
        }
        Relationship.Join join = r.join();
        if (join == null) {
            error(at + "/join", "a join is required: {externalId, column} or {trait, column}");
            return;
        }
        if ((join.externalId() == null) == (join.trait() == null)) {
            error(at + "/join", "a relationship of the profile joins on exactly one of externalId and trait (parentColumn joins entities)");
        }
        DataType childType = column(tableOf(child), join.column(), at + "/join/column");
        if (join.trait() != null) {
            DataType traitType = column(graph.profile().traitsTableOrDefault(), join.trait(), at + "/join/trait");
            comparable(traitType, childType, at + "/join/column");
        } else if (join.externalId() != null) {
            comparable(DataType.STRING, childType, at + "/join/column"); // identifier values are text
        }
    }

    /** A relationship between entities: 1:many {@code join} or many:many {@code junction}, exactly one. */
    private void entityJoin(Relationship r, String at, EntityType parent, EntityType child) {
        if (r.join() == null && r.junction() == null) {
            error(at + "/join", "a relationship between entities has a join {parentColumn, column} or a junction");
            return;
        }
        if (r.join() != null && r.junction() != null) {
            error(at + "/junction", "a relationship between entities has a join or a junction, not both");
            return;
        }
        if (r.join() != null) {
            DataType p = column(tableOf(parent), r.join().parentColumn(), at + "/join/parentColumn");
            DataType c = column(tableOf(child), r.join().column(), at + "/join/column");
            comparable(p, c, at + "/join/column");
            return;
        }
        Relationship.Junction j = r.junction();
        if (j.table() == null) {
            error(at + "/junction/table", "a junction table is required");
        } else {
            table(j.table(), at + "/junction/table");
        }
        comparable(column(tableOf(parent), j.parentKey(), at + "/junction/parentKey"),
                column(j.table(), j.parentColumn(), at + "/junction/parentColumn"), at + "/junction/parentColumn");
        comparable(column(tableOf(child), j.key(), at + "/junction/key"),
                column(j.table(), j.column(), at + "/junction/column"), at + "/junction/column");
    }

    private static String tableOf(EntityType entity) {
        return entity == null ? null : entity.table();
    }

    private boolean table(String table, String at) {
        if (!catalog.containsKey(table)) {
            error(at, "table '" + table + "' does not exist in the warehouse");
            return false;
        }
        return true;
    }

    /**
     * The column's type, or null. A missing name is reported; so is a column the table lacks, when the table is
     * known (an unknown table is reported where it is named).
     */
    private DataType column(String table, String column, String at) {
        if (column == null || column.isBlank()) {
            error(at, "a column is required");
            return null;
        }
        Map<String, DataType> columns = table == null ? null : catalog.get(table);
        if (columns == null) {
            return null;
        }
        if (!columns.containsKey(column)) {
            error(at, "column '" + column + "' does not exist in table '" + table + "'");
            return null;
        }
        return columns.get(column);
    }

    private void comparable(DataType a, DataType b, String at) {
        if (a != null && b != null && a != b) {
            error(at, "join columns have types that do not compare: " + a + " and " + b);
        }
    }

    private void slug(String slug, String at) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            error(at, "a slug is lowercase [a-z0-9_-]+");
        }
    }

    private void error(String pointer, String message) {
        errors.add(new FieldError(pointer, message));
    }
}
