package dev.linkedaudiences.compute.snapshot;

import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The entity context of a message (events.md, "The message"). For an entity trigger: the triggering entity's
 * columns as {@code <relationship>__<column>}, its matched children as arrays under
 * {@code <relationship>__<child relationship>}, and {@code "__entity"} naming the triggering entity. For a profile
 * trigger: each relationship its enrichment names as an array, under the relationship's slug, of the profile's
 * matched entities of it. Every array element holds its columns, {@code "__entity"} and its own matched children
 * as arrays under their relationship slug. Arrays come from the matched entities of the given snapshot table, at
 * most the activation's {@code maxEntitiesPerLevel} each, by key. Each entity shows the columns the activation's
 * enrichment selects for its relationship (its primary key first), or every column of its table without a selection.
 */
public final class EntityContext {
    private final Connection warehouse;
    private final Dialect dialect;
    private final DataGraph graph;
    private final String matchedTable;
    private final int maxPerLevel;
    private final ActivationChanged.Enrichment enrichment;

    /**
     * @param matchedTable the matched-entities table to read children from: the run's staged one for entered
     *                     entities, the baseline for exited ones
     */
    public EntityContext(Connection warehouse, Dialect dialect, DataGraph graph, String matchedTable, int maxPerLevel,
                         ActivationChanged.Enrichment enrichment) {
        this.warehouse = warehouse;
        this.dialect = dialect;
        this.graph = graph;
        this.matchedTable = dialect.table(matchedTable);
        this.maxPerLevel = maxPerLevel;
        this.enrichment = enrichment;
    }

    public Map<String, Object> properties(String audienceId, String profileId, Relationship relationship, String entityKey)
            throws SQLException {
        EntityType entity = graph.entity(relationship.entity()).orElseThrow();
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Object> columns = row(relationship, entity, entityKey);
        columns.forEach((column, value) -> properties.put(relationship.slug() + "__" + column, value));
        if (columns.isEmpty()) {
            properties.put(relationship.slug() + "__" + entity.primaryKey(), entityKey); // the row is gone from the warehouse
        }
        for (Relationship child : relationship.relationshipsOrEmpty()) {
            properties.put(relationship.slug() + "__" + child.slug(), elements(audienceId, profileId, child, relationship, entityKey));
        }
        properties.put("__entity", entity.slug());
        return properties;
    }

    /**
     * The properties a profile trigger's message adds: under the slug of each of {@code relationships} (those its
     * enrichment names), the profile's matched entities of it. Empty, without a query, when there are none.
     */
    public Map<String, Object> enrichedRelationships(String audienceId, String profileId, List<Relationship> relationships)
            throws SQLException {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Relationship relationship : relationships) {
            properties.put(relationship.slug(), elements(audienceId, profileId, relationship, null, null));
        }
        return properties;
    }

    /**
     * The array of the profile's matched entities of {@code relationship}: those under one parent entity, or, without
     * a parent, all of them wherever they sit in the profile's trees (a key matched under several parents once).
     */
    private List<Map<String, Object>> elements(String audienceId, String profileId, Relationship relationship, Relationship parent,
                                               String parentKey) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = warehouse.prepareStatement("SELECT DISTINCT entity_key FROM " + matchedTable
                + " WHERE audience_id = ? AND profile_id = ? AND relationship = ?"
                + (parent == null ? "" : " AND parent_relationship = ? AND parent_key = ?") + " ORDER BY entity_key")) {
            ps.setString(1, audienceId);
            ps.setString(2, profileId);
            ps.setString(3, relationship.slug());
            if (parent != null) {
                ps.setString(4, parent.slug());
                ps.setString(5, parentKey);
            }
            ps.setMaxRows(maxPerLevel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        EntityType entity = graph.entity(relationship.entity()).orElseThrow();
        List<Map<String, Object>> elements = new ArrayList<>();
        for (String key : keys) {
            Map<String, Object> element = row(relationship, entity, key);
            element.put("__entity", entity.slug());
            for (Relationship child : relationship.relationshipsOrEmpty()) {
                element.put(child.slug(), elements(audienceId, profileId, child, relationship, key));
            }
            elements.add(element);
        }
        return elements;
    }

    /** The entity's row, column by column as its relationship selects them; empty when no row has that key any more. */
    private Map<String, Object> row(Relationship relationship, EntityType entity, String key) throws SQLException {
        String selected = enrichment.columnsOf(relationship.slug(), entity.primaryKey())
                .map(names -> names.stream().map(name -> "e." + dialect.column(name)).collect(Collectors.joining(", ")))
                .orElse("*");
        Map<String, Object> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = warehouse.prepareStatement("SELECT " + selected + " FROM " + dialect.table(entity.table()) + " e WHERE "
                + dialect.asText("e." + dialect.column(entity.primaryKey())) + " = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.put(meta.getColumnName(i), WarehouseValues.json(rs.getObject(i)));
                    }
                }
            }
        }
        return columns;
    }
}
