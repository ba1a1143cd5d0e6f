package dev.linkedaudiences.compute.snapshot;

import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseSession.Row;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.Relationship;
import io.quarkus.logging.Log;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final WarehouseSession warehouse;
    private final Dialect dialect;
    private final DataGraph graph;
    private final String matchedTable;
    private final int maxPerLevel;
    private final ActivationChanged.Enrichment enrichment;
    /** The levels staged for a run, by (relationship, parent relationship or null); empty when read live. */
    private final Map<Level, StagedLevel> staged = new LinkedHashMap<>();

    /**
     * @param matchedTable the matched-entities table to read children from: the run's staged one for entered
     *                     entities, the baseline for exited ones
     */
    public EntityContext(WarehouseSession warehouse, Dialect dialect, DataGraph graph, String matchedTable, int maxPerLevel,
                         ActivationChanged.Enrichment enrichment) {
        this.warehouse = warehouse;
        this.dialect = dialect;
        this.graph = graph;
        this.matchedTable = dialect.table(matchedTable);
        this.maxPerLevel = maxPerLevel;
        this.enrichment = enrichment;
    }

    /** One level of a context: the elements of a relationship, under a parent relationship or (null) per profile. */
    private record Level(String relationship, String parent) {
    }

    /**
     * A level's elements staged in a table of the run, ordered by (profile, parent key, entity key): the
     * entity's columns under positional names {@code la_c1...}, with their real names beside.
     */
    private record StagedLevel(String table, List<String> columns) {
    }

    /**
     * Stages, once for the run, the elements of {@code relationships} and of every level below them for the
     * profiles of {@code changed}: one join in the warehouse per level instead of one lookup of each entity row by
     * key per page (random reads that made enrichment the slowest part of a large run). Pages are then read from
     * the staged tables by profile range. With {@code self}, the first relationship's entities themselves are staged
     * too, uncapped: the triggering entities of an entity trigger. Tables are named {@code tablePrefix + n};
     * {@link #dropStaged()} removes them.
     */
    public void stage(String tablePrefix, String audienceId, MembershipSnapshots.ChangedProfiles changed, List<Relationship> relationships,
                      boolean self) throws SQLException {
        if (self) {
            stageLevel(tablePrefix, audienceId, changed, relationships.get(0), null, false);
            for (Relationship child : relationships.get(0).relationshipsOrEmpty()) {
                stageTree(tablePrefix, audienceId, changed, child, relationships.get(0));
            }
        } else {
            for (Relationship relationship : relationships) {
                stageTree(tablePrefix, audienceId, changed, relationship, null);
            }
        }
    }

    private void stageTree(String tablePrefix, String audienceId, MembershipSnapshots.ChangedProfiles changed, Relationship relationship,
                           Relationship parent) throws SQLException {
        stageLevel(tablePrefix, audienceId, changed, relationship, parent, true);
        for (Relationship child : relationship.relationshipsOrEmpty()) {
            stageTree(tablePrefix, audienceId, changed, child, relationship);
        }
    }

    private void stageLevel(String tablePrefix, String audienceId, MembershipSnapshots.ChangedProfiles changed, Relationship relationship,
                            Relationship parent, boolean capped) throws SQLException {
        Level level = new Level(relationship.slug(), parent == null ? null : parent.slug());
        if (staged.containsKey(level)) {
            return; // a relationship enriched and also below another enriched one
        }
        EntityType entity = graph.entity(relationship.entity()).orElseThrow();
        List<String> columns = columnNames(relationship, entity);
        StringBuilder select = new StringBuilder("r.profile_id AS la_profile_id, ")
                .append(parent == null ? "" : "r.parent_key AS la_parent_key, ").append("r.entity_key AS la_entity_key, CASE WHEN e.")
                .append(dialect.column(entity.primaryKey())).append(" IS NULL THEN 0 ELSE 1 END AS la_found");
        for (int i = 0; i < columns.size(); i++) {
            select.append(", e.").append(dialect.column(columns.get(i))).append(" AS la_c").append(i + 1);
        }
        String table = dialect.table(tablePrefix + (staged.size() + 1));
        String sql = "CREATE TABLE " + table + " AS SELECT " + select + " FROM (" + ranked(parent, " AND profile_id IN (" + changed.sql() + ")")
                + ") r LEFT JOIN " + dialect.table(entity.table()) + " e ON " + dialect.asText("e." + dialect.column(entity.primaryKey()))
                + " = r.entity_key" + (capped ? " WHERE r.la_rank <= ?" : "") + " ORDER BY la_profile_id, "
                + (parent == null ? "" : "la_parent_key, ") + "la_entity_key";
        warehouse.execute("DROP TABLE IF EXISTS " + table); // left by an earlier attempt of the same run
        staged.put(level, new StagedLevel(table, columns));
        List<Object> parameters = levelParameters(audienceId, relationship, parent);
        parameters.addAll(changed.parameters());
        if (capped) {
            parameters.add(maxPerLevel);
        }
        warehouse.execute(sql, parameters);
        if (dialect.hasIndexes()) {
            warehouse.execute("CREATE INDEX " + dialect.column(tablePrefix.substring(tablePrefix.lastIndexOf('.') + 1) + staged.size() + "_by_profile")
                    + " ON " + table + " (la_profile_id)");
        }
        String statistics = dialect.refreshStatistics(table);
        if (statistics != null) {
            warehouse.execute(statistics);
        }
    }

    /**
     * Drops the tables {@link #stage} created; the context reads live again. A table that cannot be dropped (the
     * warehouse connection is gone) is left for the audience's next run, which replaces it.
     */
    public void dropStaged() {
        try {
            for (StagedLevel level : staged.values()) {
                warehouse.execute("DROP TABLE IF EXISTS " + level.table());
            }
        } catch (SQLException e) {
            Log.warnf("could not drop the staged entity context %s: %s", staged.values(), e.getMessage());
        }
        staged.clear();
    }

    /** The properties of an entity trigger's message about one (profile, entity) pair; see {@link #properties(String, Relationship, List)}. */
    public Map<String, Object> properties(String audienceId, String profileId, Relationship relationship, String entityKey)
            throws SQLException {
        return properties(audienceId, relationship, List.of(new Pair(profileId, entityKey))).get(0);
    }

    /**
     * The properties of the messages of a page of (profile, entity) pairs of {@code relationship}, in the pairs'
     * order: one query for the entities' rows, one per relationship below it, whatever the number of pairs.
     */
    public List<Map<String, Object>> properties(String audienceId, Relationship relationship, List<Pair> pairs) throws SQLException {
        EntityType entity = graph.entity(relationship.entity()).orElseThrow();
        List<String> profileIds = pairs.stream().map(Pair::profileId).distinct().toList();
        Map<String, Map<String, Object>> rows = rows(relationship, entity, profileIds, pairs.stream().map(Pair::entityKey).distinct().toList());
        Map<Relationship, Map<Pair, List<Map<String, Object>>>> children = new LinkedHashMap<>();
        for (Relationship child : relationship.relationshipsOrEmpty()) {
            children.put(child, elements(audienceId, profileIds, child, relationship));
        }
        List<Map<String, Object>> all = new ArrayList<>(pairs.size());
        for (Pair pair : pairs) {
            Map<String, Object> properties = new LinkedHashMap<>();
            Map<String, Object> columns = rows.getOrDefault(pair.entityKey(), Map.of());
            columns.forEach((column, value) -> properties.put(relationship.slug() + "__" + column, value));
            if (columns.isEmpty()) {
                properties.put(relationship.slug() + "__" + entity.primaryKey(), pair.entityKey()); // the row is gone from the warehouse
            }
            children.forEach((child, elements) -> properties.put(relationship.slug() + "__" + child.slug(), elements.getOrDefault(pair, List.of())));
            properties.put("__entity", entity.slug());
            all.add(properties);
        }
        return all;
    }

    /** The properties a profile trigger's message adds; see {@link #enrichedRelationships(String, List, List)}. */
    public Map<String, Object> enrichedRelationships(String audienceId, String profileId, List<Relationship> relationships)
            throws SQLException {
        return enrichedRelationships(audienceId, List.of(profileId), relationships).get(profileId);
    }

    /**
     * The properties a profile trigger's messages add, by profile: under the slug of each of {@code relationships}
     * (those its enrichment names), the profile's matched entities of it. One query per relationship and level for
     * the whole page of profiles; none when there are no relationships.
     */
    public Map<String, Map<String, Object>> enrichedRelationships(String audienceId, List<String> profileIds, List<Relationship> relationships)
            throws SQLException {
        Map<String, Map<String, Object>> byProfile = new LinkedHashMap<>();
        profileIds.forEach(id -> byProfile.put(id, new LinkedHashMap<>()));
        for (Relationship relationship : relationships) {
            Map<Pair, List<Map<String, Object>>> elements = elements(audienceId, profileIds, relationship, null);
            byProfile.forEach((id, properties) -> properties.put(relationship.slug(), elements.getOrDefault(new Pair(id, null), List.of())));
        }
        return byProfile;
    }

    /** A profile and an entity key: the triggering pair of an entity message, or the parent an array of elements sits under. */
    public record Pair(String profileId, String entityKey) {
    }

    /** One element as read: its owner (profile, parent key), its key, its columns. */
    private record ElementRow(Pair owner, String key, Map<String, Object> element) {
    }

    /**
     * The arrays of the profiles' matched entities of {@code relationship}, keyed by (profile, parent entity key).
     * {@code profileIds} are a page of a change set, in the warehouse's order: the query reads the index range from
     * the first to the last (a list of a thousand parameters was slower to plan and to run than the range), and the
     * profiles in it that are not in the page are skipped, so a run reads at most its audience's matched entities
     * once over all its pages. Each array holds at most {@code maxPerLevel} by key under each parent entity or,
     * without a parent, per profile wherever they sit in its trees (a key matched under several parents once). Each
     * element has its own children, read the same way.
     */
    private Map<Pair, List<Map<String, Object>>> elements(String audienceId, List<String> profileIds, Relationship relationship,
                                                          Relationship parent) throws SQLException {
        EntityType entity = graph.entity(relationship.entity()).orElseThrow();
        StagedLevel stagedLevel = staged.get(new Level(relationship.slug(), parent == null ? null : parent.slug()));
        String sql;
        List<String> names;
        if (stagedLevel != null) {
            names = stagedLevel.columns();
            sql = "SELECT la_profile_id, " + (parent == null ? "NULL" : "la_parent_key") + ", la_entity_key, la_found"
                    + positionalColumns(names.size()) + " FROM " + stagedLevel.table() + " WHERE la_profile_id BETWEEN ? AND ?"
                    + " ORDER BY la_profile_id, " + (parent == null ? "" : "la_parent_key, ") + "la_entity_key";
        } else {
            names = null;
            sql = "SELECT r.profile_id, " + (parent == null ? "NULL" : "r.parent_key") + ", r.entity_key, CASE WHEN e."
                    + dialect.column(entity.primaryKey()) + " IS NULL THEN 0 ELSE 1 END, " + selectedColumns(relationship, entity)
                    + " FROM (" + ranked(parent, " AND profile_id BETWEEN ? AND ?") + ") r LEFT JOIN " + dialect.table(entity.table())
                    + " e ON " + dialect.asText("e." + dialect.column(entity.primaryKey())) + " = r.entity_key WHERE r.la_rank <= ?"
                    + " ORDER BY r.profile_id, " + (parent == null ? "" : "r.parent_key, ") + "r.entity_key";
        }
        Set<String> inPage = new HashSet<>(profileIds);
        Map<Pair, List<Map<String, Object>>> elements = new HashMap<>();
        List<Map.Entry<Pair, Map<String, Object>>> placed = new ArrayList<>(); // (profile, entity key) of each element, for its children
        List<Object> parameters = stagedLevel != null ? new ArrayList<>() : levelParameters(audienceId, relationship, parent);
        parameters.add(profileIds.get(0));
        parameters.add(profileIds.get(profileIds.size() - 1));
        if (stagedLevel == null) {
            parameters.add(maxPerLevel);
        }
        // a profile between two of the page's that did not change is skipped (null)
        List<ElementRow> rows = warehouse.query(sql, parameters, row -> !inPage.contains(row.text(1)) ? null
                : new ElementRow(new Pair(row.text(1), row.text(2)), row.text(3), row.number(4) == 0 ? new LinkedHashMap<>() : columns(row, 5, names)));
        ElementRow previous = null;
        for (ElementRow row : rows) {
            if (previous != null && row.owner().equals(previous.owner()) && row.key().equals(previous.key())) {
                continue; // the entity table has this key twice: its first row stands, as it always did
            }
            previous = row;
            row.element().put("__entity", entity.slug());
            elements.computeIfAbsent(row.owner(), o -> new ArrayList<>()).add(row.element());
            placed.add(Map.entry(new Pair(row.owner().profileId(), row.key()), row.element()));
        }
        for (Relationship child : relationship.relationshipsOrEmpty()) {
            Map<Pair, List<Map<String, Object>>> children = elements(audienceId, profileIds, child, relationship);
            placed.forEach(e -> e.getValue().put(child.slug(), children.getOrDefault(e.getKey(), List.of())));
        }
        return elements;
    }

    /**
     * The audience's matched (profile, [parent key,] entity key) pairs of a relationship with their rank under
     * their owner ({@code la_rank}, by key), restricted by {@code profileCondition}. Its parameters are bound by
     * {@link #bindLevel}, then the condition's.
     */
    private String ranked(Relationship parent, String profileCondition) {
        String matchedPairs = "SELECT DISTINCT profile_id, " + (parent == null ? "" : "parent_key, ") + "entity_key FROM " + matchedTable
                + " WHERE audience_id = ? AND relationship = ?" + (parent == null ? "" : " AND parent_relationship = ?") + profileCondition;
        return "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.profile_id" + (parent == null ? "" : ", m.parent_key")
                + " ORDER BY m.entity_key) AS la_rank FROM (" + matchedPairs + ") m";
    }

    /** The parameters of {@link #ranked} before its condition's. */
    private static List<Object> levelParameters(String audienceId, Relationship relationship, Relationship parent) {
        List<Object> parameters = new ArrayList<>(List.of(audienceId, relationship.slug()));
        if (parent != null) {
            parameters.add(parent.slug());
        }
        return parameters;
    }

    /** The names of the columns the relationship's elements show: the enrichment's selection, or the entity table's. */
    private List<String> columnNames(Relationship relationship, EntityType entity) throws SQLException {
        return warehouse.columnNames("SELECT " + selectedColumns(relationship, entity) + " FROM " + dialect.table(entity.table()) + " e");
    }

    private static String positionalColumns(int count) {
        StringBuilder columns = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            columns.append(", la_c").append(i);
        }
        return columns.toString();
    }

    /**
     * The rows of these entities, by key, column by column as the relationship selects them; a key no row has is
     * absent. Read from the staged triggering entities of the page's profiles where they were staged.
     */
    private Map<String, Map<String, Object>> rows(Relationship relationship, EntityType entity, List<String> profileIds, List<String> keys)
            throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        if (keys.isEmpty()) {
            return rows;
        }
        StagedLevel stagedLevel = staged.get(new Level(relationship.slug(), null));
        if (stagedLevel != null) {
            Set<String> wanted = new HashSet<>(keys);
            warehouse.query("SELECT la_entity_key, la_found" + positionalColumns(stagedLevel.columns().size()) + " FROM " + stagedLevel.table()
                                    + " WHERE la_profile_id BETWEEN ? AND ? ORDER BY la_profile_id, la_entity_key",
                            List.of(profileIds.get(0), profileIds.get(profileIds.size() - 1)),
                            row -> row.number(2) == 1 && wanted.contains(row.text(1)) ? Map.entry(row.text(1), columns(row, 3, stagedLevel.columns())) : null)
                    .forEach(row -> rows.putIfAbsent(row.getKey(), row.getValue()));
            return rows;
        }
        String key = dialect.asText("e." + dialect.column(entity.primaryKey()));
        warehouse.query("SELECT " + key + ", " + selectedColumns(relationship, entity) + " FROM " + dialect.table(entity.table())
                                + " e WHERE " + key + " IN (" + placeholders(keys.size()) + ")", keys, row -> Map.entry(row.text(1), columns(row, 2, null)))
                .forEach(row -> rows.putIfAbsent(row.getKey(), row.getValue()));
        return rows;
    }

    /** The columns the activation's enrichment selects for the relationship (its primary key first), or all of them. */
    private String selectedColumns(Relationship relationship, EntityType entity) {
        return enrichment.columnsOf(relationship.slug(), entity.primaryKey())
                .map(names -> names.stream().map(name -> "e." + dialect.column(name)).collect(Collectors.joining(", ")))
                .orElse("e.*");
    }

    /** The row's columns from {@code first} on, as JSON values, under {@code names} or (null) the result's own names. */
    private static Map<String, Object> columns(Row row, int first, List<String> names) throws SQLException {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = first; i <= row.size(); i++) {
            columns.put(names == null ? row.name(i) : names.get(i - first), WarehouseValues.json(row.value(i)));
        }
        return columns;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
