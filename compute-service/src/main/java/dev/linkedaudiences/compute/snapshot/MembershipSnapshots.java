package dev.linkedaudiences.compute.snapshot;

import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseSession.Pages;
import dev.linkedaudiences.compute.warehouse.WarehouseSession.Row;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.contracts.graph.DataGraph;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Membership snapshots and diffs, kept inside the warehouse in a schema the service owns:
 * <ul>
 * <li>{@code membership}: the baseline, the members as of the audience's last successful run;</li>
 * <li>{@code candidate}: the members a run in progress computed;</li>
 * <li>{@code baseline}: which run the baseline comes from;</li>
 * <li>{@code matched} and {@code matched_candidate}: the matched entities of the baseline and of the run in
 * progress, as (profile, relationship, entity key, parent relationship, parent key) rows.</li>
 * </ul>
 * A run stages its candidate, reads only the differences from the baseline, and promotes the candidate to
 * baseline after its events are published. A run that fails before promotion leaves the baseline as it was.
 */
public final class MembershipSnapshots {
    /** The tables {@link #schemaDdl} creates in the snapshot schema. */
    public static final List<String> TABLES = List.of("membership", "candidate", "baseline", "matched", "matched_candidate");
    /** Rows read per query when the keys of a change set are looked up. */
    private static final int BATCH = 500;
    /** The first parameters of {@link #identifiers}: its identifier types. */
    private static final List<Object> IDENTIFIER_TYPES = List.of("user_id", "email", "user_id", "email");
    private final WarehouseSession warehouse;
    private final Dialect dialect;
    private final String membership;
    private final String candidate;
    private final String baseline;
    private final String matched;
    private final String matchedCandidate;
    private final String schema;

    public MembershipSnapshots(WarehouseSession warehouse, Dialect dialect, String schema) {
        this.warehouse = warehouse;
        this.dialect = dialect;
        this.membership = dialect.table(schema + ".membership");
        this.candidate = dialect.table(schema + ".candidate");
        this.baseline = dialect.table(schema + ".baseline");
        this.matched = dialect.table(schema + ".matched");
        this.matchedCandidate = dialect.table(schema + ".matched_candidate");
        this.schema = schema;
    }

    /** The staging table of members, for {@code SqlCompiler#matchedEntities}. */
    public String candidateTable() {
        return schema + ".candidate";
    }

    /** A run's working table of this name, in the snapshot schema (not quoted). */
    public String runTable(String name) {
        return schema + "." + name;
    }

    /** The matched entities of the run in progress ({@code staged}) or of the baseline. */
    public String matchedTable(boolean staged) {
        return schema + (staged ? ".matched_candidate" : ".matched");
    }

    /**
     * Creates the snapshot schema and tables when they are missing. {@code CREATE ... IF NOT EXISTS} is not atomic
     * everywhere (two PostgreSQL sessions creating the same table at once collide on its catalog entry), so when
     * two instances or runs start together on a new warehouse, the one that lost tries again once the other is done.
     */
    public static void ensureSchema(WarehouseSession warehouse, Dialect dialect, String schema) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                for (String statement : schemaDdl(dialect, schema)) {
                    warehouse.execute(statement);
                }
                return;
            } catch (SQLException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The statements that create the snapshot schema and tables in the dialect's warehouse, each if missing. */
    public static List<String> schemaDdl(Dialect dialect, String schema) {
        String audience = "audience_id " + dialect.textColumn(36) + " NOT NULL";
        String profile = "profile_id " + dialect.textColumn(200) + " NOT NULL";
        String run = "run_id " + dialect.textColumn(36) + " NOT NULL";
        List<String> ddl = new ArrayList<>(List.of("CREATE SCHEMA IF NOT EXISTS " + dialect.column(schema)));
        for (String members : List.of("membership", "candidate")) {
            ddl.add(createTable(dialect, schema + "." + members, List.of(audience, profile, run), "audience_id, profile_id"));
        }
        ddl.add(createTable(dialect, schema + ".baseline", List.of(audience, run, "promoted_at TIMESTAMP NOT NULL"), "audience_id"));
        for (String table : List.of("matched", "matched_candidate")) {
            ddl.add(createTable(dialect, schema + "." + table, List.of(audience, profile,
                    "relationship " + dialect.textColumn(200) + " NOT NULL", "entity_key " + dialect.textColumn(500) + " NOT NULL",
                    "parent_relationship " + dialect.textColumn(200), "parent_key " + dialect.textColumn(500)), null));
            if (dialect.hasIndexes()) {
                ddl.add("CREATE INDEX IF NOT EXISTS " + dialect.column(table + "_by_entity") + " ON " + dialect.table(schema + "." + table)
                        + " (audience_id, relationship, profile_id, entity_key)");
            }
        }
        return ddl;
    }

    private static String createTable(Dialect dialect, String table, List<String> columns, String primaryKey) {
        List<String> elements = new ArrayList<>(columns);
        String key = primaryKey == null ? null : dialect.primaryKey(primaryKey);
        if (key != null) {
            elements.add(key);
        }
        return "CREATE TABLE IF NOT EXISTS " + dialect.table(table) + " (" + String.join(", ", elements) + ")";
    }

    /** Whether the audience has had a successful run (its membership can be referenced). */
    public boolean hasBaseline(String audienceId) throws SQLException {
        return !rows("SELECT 1 FROM " + baseline + " WHERE audience_id = ?", audienceId).isEmpty();
    }

    /**
     * Why a definition's {@code audience} conditions cannot be read (audience-model.md: a referenced audience must
     * have run successfully), for the first that cannot; empty when all can.
     *
     * @param idByKey the ids of the existing audiences the definition references, by key
     */
    public Optional<String> unreadableReference(AudienceDefinition definition, Map<String, String> idByKey) throws SQLException {
        for (String key : new TreeSet<>(DefinitionValidator.referencedAudiences(definition))) {
            String id = idByKey.get(key);
            if (id == null) {
                return Optional.of("referenced audience '" + key + "' no longer exists");
            }
            if (!hasBaseline(id)) {
                return Optional.of("referenced audience '" + key + "' has never run successfully; run it first");
            }
        }
        return Optional.empty();
    }

    /** Replaces the audience's candidate with the members of {@code members}; answers the audience size. */
    public long stage(String audienceId, String runId, CompiledQuery members) throws SQLException {
        delete(candidate, audienceId);
        String sql = "INSERT INTO " + candidate + " (audience_id, profile_id, run_id) SELECT ?, q.profile_id, ? FROM ("
                + members.sql() + ") q";
        List<Object> parameters = new ArrayList<>(List.of(audienceId, runId));
        parameters.addAll(members.parameters());
        long size = warehouse.execute(sql, parameters);
        refreshStatistics(candidate);
        return size;
    }

    /** Replaces the audience's staged matched entities with the rows of {@code matchedEntities}. */
    public void stageMatched(String audienceId, CompiledQuery matchedEntities) throws SQLException {
        delete(matchedCandidate, audienceId);
        String sql = "INSERT INTO " + matchedCandidate + " (audience_id, profile_id, relationship, entity_key, parent_relationship, parent_key)"
                + " SELECT ?, q.profile_id, q.relationship, q.entity_key, q.parent_relationship, q.parent_key FROM ("
                + matchedEntities.sql() + ") q";
        List<Object> parameters = new ArrayList<>(List.of(audienceId));
        parameters.addAll(matchedEntities.parameters());
        warehouse.execute(sql, parameters);
        refreshStatistics(matchedCandidate);
    }

    /**
     * Statistics of a snapshot table after a bulk write, where the warehouse needs them refreshed: never left to a
     * background process (autovacuum may be off, and lags a burst when it is on).
     */
    private void refreshStatistics(String table) throws SQLException {
        String sql = dialect.refreshStatistics(table);
        if (sql != null) {
            warehouse.execute(sql);
        }
    }

    /** The first {@code rows} staged members, by profile id. */
    public List<String> stagedSample(String audienceId, int rows) throws SQLException {
        return rows(dialect.limit("SELECT profile_id FROM " + candidate + " WHERE audience_id = ? ORDER BY profile_id", rows), audienceId)
                .stream().map(row -> row[0]).toList();
    }

    /** Staged (profile, entity) pairs of a relationship: how many, and the first {@code rows} as "profile key". */
    public long stagedEntityCount(String audienceId, String relationship) throws SQLException {
        return Long.parseLong(rows("SELECT " + dialect.asText("COUNT(*)") + " FROM (SELECT DISTINCT profile_id, entity_key FROM "
                + matchedCandidate + " WHERE audience_id = ? AND relationship = ?) x", audienceId, relationship).get(0)[0]);
    }

    public List<String[]> stagedEntitySample(String audienceId, String relationship, int rows) throws SQLException {
        return rows(dialect.limit("SELECT DISTINCT profile_id, entity_key FROM " + matchedCandidate
                + " WHERE audience_id = ? AND relationship = ? ORDER BY profile_id, entity_key", rows), audienceId, relationship);
    }

    /** Forgets what was staged for {@code audienceId} (a preview, or an abandoned run). */
    public void discard(String audienceId) throws SQLException {
        delete(candidate, audienceId);
        delete(matchedCandidate, audienceId);
    }

    /** Every row of {@code sql}, its columns as text. */
    private List<String[]> rows(String sql, String... parameters) throws SQLException {
        return warehouse.query(sql, List.of(parameters), row -> {
            String[] columns = new String[row.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = row.text(i + 1);
            }
            return columns;
        });
    }

    /** Receives a change set a page at a time. */
    @FunctionalInterface
    public interface PageConsumer<T> {
        void accept(List<T> page) throws SQLException;
    }

    /** (profile, entity) pairs of a relationship that are matched now and were not in the baseline, a page at a time. */
    public void entitiesEntered(WarehouseSession cursor, String audienceId, String relationship, DataGraph graph, ProfileFields fields,
                                int pageSize, PageConsumer<EntityChange> pages) throws SQLException {
        entityChanges(cursor, matchedCandidate, matched, audienceId, relationship, graph, fields, true, pageSize, pages);
    }

    /** (profile, entity) pairs of a relationship that were in the baseline and are not matched now, a page at a time. */
    public void entitiesExited(WarehouseSession cursor, String audienceId, String relationship, DataGraph graph, ProfileFields fields,
                               int pageSize, PageConsumer<EntityChange> pages) throws SQLException {
        entityChanges(cursor, matched, matchedCandidate, audienceId, relationship, graph, fields, true, pageSize, pages);
    }

    /** Every matched (profile, entity) pair of a relationship: what a new entity activation backfills. */
    public void allEntities(WarehouseSession cursor, String audienceId, String relationship, DataGraph graph, ProfileFields fields,
                            int pageSize, PageConsumer<EntityChange> pages) throws SQLException {
        entityChanges(cursor, matchedCandidate, matched, audienceId, relationship, graph, fields, false, pageSize, pages);
    }

    /** The pairs in (profile, entity key) order; each page's profiles are looked up through this object's connection. */
    private void entityChanges(WarehouseSession cursor, String from, String notIn, String audienceId, String relationship, DataGraph graph,
                               ProfileFields fields, boolean onlyDifferences, int pageSize, PageConsumer<EntityChange> pages)
            throws SQLException {
        String pairs = "SELECT DISTINCT s.profile_id, s.entity_key FROM " + from + " s WHERE " + inEntityChangeSet(notIn, onlyDifferences);
        String sql = "SELECT x.profile_id, x.entity_key FROM (" + pairs + ") x ORDER BY x.profile_id, x.entity_key";
        try (Pages<String[]> keys = cursor.pages(sql, List.of(audienceId, relationship),
                row -> new String[]{row.text(1), row.text(2)}, pageSize)) {
            for (List<String[]> page = keys.next(); !page.isEmpty(); page = keys.next()) {
                Map<String, ProfileChange> profiles = new HashMap<>();
                for (ProfileChange p : profiles(page.stream().map(k -> k[0]).distinct().toList(), graph, fields)) {
                    profiles.put(p.profileId(), p);
                }
                List<EntityChange> changes = new ArrayList<>(page.size());
                for (String[] k : page) {
                    changes.add(new EntityChange(profiles.get(k[0]), k[1]));
                }
                pages.accept(changes);
            }
        }
    }

    /** One profile's identifiers and traits, if the warehouse has it. */
    public java.util.Optional<ProfileChange> profile(String profileId, DataGraph graph, ProfileFields fields) throws SQLException {
        return profiles(List.of(profileId), graph, fields).stream().findFirst();
    }

    /** Whether the profile is a member as of the audience's baseline. */
    public boolean isMember(String audienceId, String profileId) throws SQLException {
        return !rows("SELECT 1 FROM " + membership + " WHERE audience_id = ? AND profile_id = ?", audienceId, profileId).isEmpty();
    }

    /** The profile's first matched entity of a relationship in the baseline (by key), if any. */
    public java.util.Optional<String> firstMatchedEntity(String audienceId, String profileId, String relationship) throws SQLException {
        return rows("SELECT MIN(entity_key) FROM " + matched + " WHERE audience_id = ? AND profile_id = ? AND relationship = ?",
                audienceId, profileId, relationship).stream().map(row -> row[0]).filter(java.util.Objects::nonNull).findFirst();
    }

    /** Identifiers and traits of these profiles. */
    private List<ProfileChange> profiles(List<String> profileIds, DataGraph graph, ProfileFields fields) throws SQLException {
        List<String> traits = fields.traits();
        List<ProfileChange> all = new ArrayList<>();
        for (int from = 0; from < profileIds.size(); from += BATCH) {
            List<String> batch = profileIds.subList(from, Math.min(profileIds.size(), from + BATCH));
            String segmentId = dialect.column("canonical_segment_id");
            String inBatch = " IN (" + String.join(", ", java.util.Collections.nCopies(batch.size(), "?")) + ")";
            StringBuilder sql = new StringBuilder("SELECT t.").append(segmentId).append(", i.user_id, i.email");
            for (String trait : traits) {
                sql.append(", t.").append(dialect.column(trait));
            }
            sql.append(" FROM ").append(dialect.table(graph.profile().traitsTableOrDefault())).append(" t LEFT JOIN (")
                    .append(identifiers(graph, inBatch)).append(") i ON i.profile_id = t.").append(segmentId)
                    .append(" WHERE t.").append(segmentId).append(inBatch);
            List<Object> parameters = new ArrayList<>(IDENTIFIER_TYPES);
            parameters.addAll(batch);
            parameters.addAll(batch);
            all.addAll(warehouse.query(sql.toString(), parameters, row -> profile(row, traits)));
        }
        return fields.everyEmail() ? withEveryEmail(all, graph) : all;
    }

    /** How many profiles a run's candidate adds to the baseline and takes from it. */
    public record ChangeCounts(int entered, int exited) {
    }

    /** How many candidates are not in the baseline (profiles entered) and how many baseline members are not candidates (exited). */
    public ChangeCounts changeCounts(String audienceId) throws SQLException {
        String sql = "SELECT " + dialect.asText("COUNT(*)") + " FROM %s s WHERE s.audience_id = ? AND NOT EXISTS (SELECT 1 FROM %s o"
                + " WHERE o.audience_id = s.audience_id AND o.profile_id = s.profile_id)";
        return new ChangeCounts(Integer.parseInt(rows(sql.formatted(candidate, membership), audienceId).get(0)[0]),
                Integer.parseInt(rows(sql.formatted(membership, candidate), audienceId).get(0)[0]));
    }

    /**
     * The profiles of a change set, as a query of one column ({@code profile_id}) and its parameters: what a run
     * stages the entity context of its events for ({@code EntityContext#stage}).
     */
    public record ChangedProfiles(String sql, List<String> parameters) {
    }

    /** The profiles of {@link #entered}. */
    public ChangedProfiles enteredProfiles(String audienceId) {
        return new ChangedProfiles("SELECT s.profile_id FROM " + candidate + " s WHERE " + inChangeSet(membership, true), List.of(audienceId));
    }

    /** The profiles of {@link #exited}. */
    public ChangedProfiles exitedProfiles(String audienceId) {
        return new ChangedProfiles("SELECT s.profile_id FROM " + membership + " s WHERE " + inChangeSet(candidate, true), List.of(audienceId));
    }

    /** The profiles of {@link #allCandidates}. */
    public ChangedProfiles candidateProfiles(String audienceId) {
        return new ChangedProfiles("SELECT s.profile_id FROM " + candidate + " s WHERE " + inChangeSet(null, false), List.of(audienceId));
    }

    /** The profiles of {@link #entitiesEntered} ({@code entered}, or every matched pair with {@code all}) or {@link #entitiesExited}. */
    public ChangedProfiles entityProfiles(String audienceId, String relationship, boolean entered, boolean all) {
        return new ChangedProfiles("SELECT DISTINCT s.profile_id FROM " + (entered ? matchedCandidate : matched) + " s WHERE "
                + inEntityChangeSet(entered ? matched : matchedCandidate, !all), List.of(audienceId, relationship));
    }

    /** The condition on {@code s}, a members table, of a change set; one parameter, the audience id. */
    private static String inChangeSet(String notIn, boolean onlyDifferences) {
        return "s.audience_id = ?" + (onlyDifferences ? " AND NOT EXISTS (SELECT 1 FROM " + notIn
                + " o WHERE o.audience_id = s.audience_id AND o.profile_id = s.profile_id)" : "");
    }

    /** The condition on {@code s}, a matched-entities table, of an entity change set; parameters: audience id, relationship. */
    private static String inEntityChangeSet(String notIn, boolean onlyDifferences) {
        return "s.audience_id = ? AND s.relationship = ?" + (onlyDifferences ? " AND NOT EXISTS (SELECT 1 FROM " + notIn
                + " o WHERE o.audience_id = s.audience_id AND o.relationship = s.relationship AND o.profile_id = s.profile_id"
                + " AND o.entity_key = s.entity_key)" : "");
    }

    /** Candidates that are not in the baseline, a page at a time. */
    public void entered(WarehouseSession cursor, String audienceId, DataGraph graph, ProfileFields fields, int pageSize,
                        PageConsumer<ProfileChange> pages) throws SQLException {
        changes(cursor, candidate, membership, audienceId, graph, fields, true, pageSize, pages);
    }

    /** Baseline members that are not candidates, a page at a time. */
    public void exited(WarehouseSession cursor, String audienceId, DataGraph graph, ProfileFields fields, int pageSize,
                       PageConsumer<ProfileChange> pages) throws SQLException {
        changes(cursor, membership, candidate, audienceId, graph, fields, true, pageSize, pages);
    }

    /** Every candidate, a page at a time: what a newly enabled activation backfills. */
    public void allCandidates(WarehouseSession cursor, String audienceId, DataGraph graph, ProfileFields fields, int pageSize,
                              PageConsumer<ProfileChange> pages) throws SQLException {
        changes(cursor, candidate, membership, audienceId, graph, fields, false, pageSize, pages);
    }

    private void changes(WarehouseSession cursor, String from, String notIn, String audienceId, DataGraph graph, ProfileFields fields,
                         boolean onlyDifferences, int pageSize, PageConsumer<ProfileChange> pages) throws SQLException {
        List<String> traits = fields.traits();
        String traitsTable = dialect.table(graph.profile().traitsTableOrDefault());
        String segmentId = dialect.column("canonical_segment_id");
        String identifiers = identifiers(graph, " IN (SELECT s.profile_id FROM " + from + " s WHERE " + inChangeSet(notIn, onlyDifferences) + ")");
        StringBuilder sql = new StringBuilder("SELECT s.profile_id, i.user_id, i.email");
        for (String trait : traits) {
            sql.append(", t.").append(dialect.column(trait));
        }
        sql.append(" FROM ").append(from).append(" s LEFT JOIN ").append(traitsTable).append(" t ON t.").append(segmentId)
                .append(" = s.profile_id LEFT JOIN (").append(identifiers).append(") i ON i.profile_id = s.profile_id WHERE ")
                .append(inChangeSet(notIn, onlyDifferences)).append(" ORDER BY s.profile_id");
        List<Object> parameters = new ArrayList<>(IDENTIFIER_TYPES);
        parameters.add(audienceId);
        parameters.add(audienceId);
        try (Pages<ProfileChange> changes = cursor.pages(sql.toString(), parameters, row -> profile(row, traits), pageSize)) {
            for (List<ProfileChange> page = changes.next(); !page.isEmpty(); page = changes.next()) {
                pages.accept(fields.everyEmail() ? withEveryEmail(page, graph) : page);
            }
        }
    }

    /** The profiles with all their email identifiers, distinct, in the order of values (so the smallest stays first). */
    private List<ProfileChange> withEveryEmail(List<ProfileChange> profiles, DataGraph graph) throws SQLException {
        Map<String, List<String>> emails = new HashMap<>();
        String ids = dialect.table(graph.profile().identifiersTableOrDefault());
        for (int from = 0; from < profiles.size(); from += BATCH) {
            List<ProfileChange> batch = profiles.subList(from, Math.min(profiles.size(), from + BATCH));
            String sql = "SELECT DISTINCT ui." + dialect.column("canonical_segment_id") + ", ui." + dialect.column("value")
                    + " FROM " + ids + " ui WHERE ui." + dialect.column("type") + " = ? AND ui." + dialect.column("canonical_segment_id")
                    + " IN (" + String.join(", ", java.util.Collections.nCopies(batch.size(), "?")) + ")"
                    + " ORDER BY ui." + dialect.column("canonical_segment_id") + ", ui." + dialect.column("value");
            List<Object> parameters = new ArrayList<>(List.of("email"));
            batch.forEach(p -> parameters.add(p.profileId()));
            for (String[] pair : warehouse.query(sql, parameters, row -> new String[]{row.text(1), row.text(2)})) {
                emails.computeIfAbsent(pair[0], id -> new ArrayList<>()).add(pair[1]);
            }
        }
        return profiles.stream().map(p -> new ProfileChange(p.profileId(), p.userId(), emails.getOrDefault(p.profileId(), List.of()),
                p.traits())).toList();
    }

    /** One row of (profile id, user_id, email, traits...) as a profile change. */
    private static ProfileChange profile(Row row, List<String> traits) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < traits.size(); i++) {
            values.put(traits.get(i), row.value(4 + i));
        }
        String email = row.text(3);
        return new ProfileChange(row.text(1), row.text(2), email == null ? List.of() : List.of(email), values);
    }

    /**
     * Each profile's user_id and (smallest) email, grouped once for the profiles whose id satisfies {@code profiles}
     * (an {@code IN (...)} clause): a join, not two lookups per profile, which a warehouse without indexes would run
     * as two scans of the identifiers per profile. Columns profile_id, user_id, email; the four identifier types are
     * bound first ({@link #IDENTIFIER_TYPES}), then the parameters of {@code profiles}.
     */
    private String identifiers(DataGraph graph, String profiles) {
        String segmentId = "ui." + dialect.column("canonical_segment_id");
        String type = "ui." + dialect.column("type");
        String value = "ui." + dialect.column("value");
        return "SELECT " + segmentId + " AS profile_id, MIN(CASE WHEN " + type + " = ? THEN " + value + " END) AS user_id,"
                + " MIN(CASE WHEN " + type + " = ? THEN " + value + " END) AS email FROM "
                + dialect.table(graph.profile().identifiersTableOrDefault()) + " ui WHERE " + type + " IN (?, ?) AND "
                + segmentId + profiles + " GROUP BY " + segmentId;
    }


    /**
     * The candidate becomes the baseline, in one warehouse transaction. Only the differences are written: members
     * that left and pairs no longer matched are deleted, those that came are inserted, so a run that changed little
     * writes little to a large baseline (a member's {@code run_id} is the run in which it entered). The staged rows
     * are then deleted.
     */
    public void promote(String audienceId, String runId) throws SQLException {
        warehouse.transaction(() -> {
            replaceDifferences(membership, candidate, List.of("profile_id"), List.of(), List.of("run_id"), audienceId);
            replaceDifferences(matched, matchedCandidate, List.of("profile_id", "relationship", "entity_key"),
                    List.of("parent_relationship", "parent_key"), List.of(), audienceId);
            delete(candidate, audienceId);
            delete(matchedCandidate, audienceId);
            delete(baseline, audienceId);
            warehouse.execute("INSERT INTO " + baseline + " (audience_id, run_id, promoted_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
                    List.of(audienceId, runId));
        });
        refreshStatistics(membership);
        refreshStatistics(matched);
    }

    /**
     * Makes the audience's rows of {@code target} those of {@code staged}, rows being the same when their keys are:
     * deletes the rows staged lacks, then inserts the new ones. Nullable keys compare through COALESCE, not
     * {@code OR ... IS NULL}, which would keep PostgreSQL from a hash anti-join (a nested loop over the audience
     * twice). The target is named, not aliased, in the DELETE: Redshift takes no alias there.
     */
    private void replaceDifferences(String target, String staged, List<String> keys, List<String> nullableKeys, List<String> otherColumns,
                                    String audienceId) throws SQLException {
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(nullableKeys);
        columns.addAll(otherColumns);
        if (dialect.promotesByMerge()) {
            // the same in one statement: rows of the audience only the target has are deleted, those only staged has inserted
            warehouse.execute("MERGE INTO " + target + " t USING (SELECT audience_id, " + String.join(", ", columns) + " FROM " + staged
                    + " WHERE audience_id = ?) s ON " + sameRow("t", "s", keys, nullableKeys)
                    + " WHEN NOT MATCHED THEN INSERT (audience_id, " + String.join(", ", columns) + ") VALUES (s.audience_id, "
                    + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")"
                    + " WHEN NOT MATCHED BY SOURCE AND t.audience_id = ? THEN DELETE", List.of(audienceId, audienceId));
            return;
        }
        warehouse.execute("DELETE FROM " + target + " WHERE audience_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM " + staged + " o WHERE " + sameRow("o", target, keys, nullableKeys) + ")", List.of(audienceId));
        warehouse.execute("INSERT INTO " + target + " (audience_id, " + String.join(", ", columns) + ")"
                + " SELECT s.audience_id, " + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", "))
                + " FROM " + staged + " s WHERE s.audience_id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM " + target + " o WHERE " + sameRow("o", "s", keys, nullableKeys) + ")",
                List.of(audienceId));
    }

    private static String sameRow(String a, String b, List<String> keys, List<String> nullableKeys) {
        List<String> conditions = new ArrayList<>();
        conditions.add(a + ".audience_id = " + b + ".audience_id");
        keys.forEach(k -> conditions.add(a + "." + k + " = " + b + "." + k));
        nullableKeys.forEach(k -> conditions.add("COALESCE(" + a + "." + k + ", '') = COALESCE(" + b + "." + k + ", '')"));
        return String.join(" AND ", conditions);
    }

    private void delete(String table, String audienceId) throws SQLException {
        warehouse.execute("DELETE FROM " + table + " WHERE audience_id = ?", List.of(audienceId));
    }
}
