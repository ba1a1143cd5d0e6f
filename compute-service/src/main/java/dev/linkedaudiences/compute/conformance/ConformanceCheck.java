package dev.linkedaudiences.compute.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.ProfileFields;
import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The differential suite on a real warehouse: loads a seeded {@link RandomWarehouse} into a scratch schema, runs
 * {@link RandomDefinitions} through the same code a run uses (the compiler, then {@link MembershipSnapshots} staging,
 * promotion and change sets, with the scratch schema as snapshot schema) and compares every answer with the
 * {@link ReferenceEvaluator}:
 * <ol>
 * <li>first run: members, matched entities; each definition's result is promoted to baseline;</li>
 * <li>the warehouse changes ({@link RandomWarehouse#change});</li>
 * <li>second run: members, matched entities, entered and exited profiles (with their user_id and email), entered and
 * exited entities of every relationship, against the set differences of the reference's two answers.</li>
 * </ol>
 * Then it drops what it made. It never drops what it did not make: a scratch schema that already holds a table is
 * refused, the schema is created with a plain CREATE SCHEMA (dropped afterwards only then), tables with plain CREATE
 * TABLE; when the schema existed (empty) only the tables the check created are dropped, one by one.
 */
public final class ConformanceCheck {
    /** What a scratch schema may be called: a plain identifier that means the same unquoted on every engine. */
    public static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    public static final int MAX_DISAGREEMENTS = 50;
    public static final int MAX_ROWS = 20;
    /** Change sets are read in pages this small so that paging itself is exercised on a small warehouse. */
    private static final int PAGE_SIZE = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String MEMBERS = "members";
    static final String MATCHED = "matched entities";
    static final String MEMBERS_AFTER = "members after changes";
    static final String MATCHED_AFTER = "matched entities after changes";
    static final String PROFILES_ENTERED = "profiles entered";
    static final String PROFILES_EXITED = "profiles exited";
    static final String ENTITIES_ENTERED = "entities entered";
    static final String ENTITIES_EXITED = "entities exited";
    private static final List<String> STEPS = List.of(MEMBERS, MATCHED, MEMBERS_AFTER, MATCHED_AFTER, PROFILES_ENTERED, PROFILES_EXITED,
            ENTITIES_ENTERED, ENTITIES_EXITED);

    private final WarehouseSession warehouse;
    private final WarehouseSession cursor;
    private final Dialect dialect;
    private final String schema;

    /**
     * @param warehouse a session with the warehouse
     * @param cursor    a second session with the same warehouse, for the change sets' cursors (as a run has)
     * @param schema    the scratch schema: absent, or present without any table
     */
    public ConformanceCheck(WarehouseSession warehouse, WarehouseSession cursor, Dialect dialect, String schema) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("a scratch schema is a plain identifier: " + SCHEMA_NAME.pattern());
        }
        this.warehouse = warehouse;
        this.cursor = cursor;
        this.dialect = dialect;
        this.schema = schema;
    }

    /** The scratch schema is not usable: it holds tables (never touched), or something was made there already. */
    public static final class SchemaRefused extends RuntimeException {
        public SchemaRefused(String message) {
            super(message);
        }
    }

    /** Why the scratch schema cannot be used, if it cannot: it holds tables, or it is the snapshot schema. */
    public static Optional<String> refusal(WarehouseSession c, String schema, String snapshotSchema) throws SQLException {
        if (schema.equalsIgnoreCase(snapshotSchema)) {
            return Optional.of("'" + schema + "' is the installation's snapshot schema; name a schema of its own for the check");
        }
        List<String> tables = c.tablesIn(schema).orElse(List.of());
        if (!tables.isEmpty()) {
            return Optional.of("schema '" + schema + "' already holds " + tables.size() + " table(s) (" + String.join(", ",
                    tables.subList(0, Math.min(5, tables.size()))) + (tables.size() > 5 ? ", ..." : "")
                    + "); the check only runs in an absent or empty schema, which it then drops or empties");
        }
        return Optional.empty();
    }

    /**
     * Runs the suite for {@code definitions} definitions on the warehouse of {@code seed}, computed as of
     * {@code runStart}, and drops what it made, also when it fails.
     *
     * @throws SchemaRefused when the scratch schema holds a table
     * @throws SQLException  when the warehouse could not be loaded (a definition that fails is a disagreement)
     */
    public ConformanceReport run(long seed, int definitions, Instant runStart) throws SQLException {
        long started = System.nanoTime();
        Optional<List<String>> existing = warehouse.tablesIn(schema);
        if (existing.isPresent() && !existing.get().isEmpty()) {
            throw new SchemaRefused("schema '" + schema + "' already holds tables " + existing.get());
        }
        Made made = new Made();
        Suite suite;
        try {
            if (existing.isEmpty()) {
                execute("CREATE SCHEMA " + dialect.column(schema));
                made.schema = true;
            }
            RandomWarehouse data = new RandomWarehouse(seed, runStart);
            for (Map.Entry<String, String> table : data.createStatements(dialect, schema).entrySet()) {
                execute(table.getValue());
                made.tables.add(table.getKey());
            }
            // the snapshot tables' DDL says IF NOT EXISTS; in a schema found empty, whose every other table the check
            // just created, they are the check's own
            MembershipSnapshots.ensureSchema(warehouse, dialect, schema);
            made.tables.addAll(MembershipSnapshots.TABLES);
            data.write(warehouse, dialect, schema);
            suite = new Suite(data, seed, definitions, runStart);
            suite.run();
        } catch (SQLException | RuntimeException | Error e) {
            String left = drop(made);
            if (left != null) {
                e.addSuppressed(new SQLException(left));
            }
            throw e;
        }
        String left = drop(made);
        return suite.report(started, left);
    }

    /** What the check created: the schema (then dropped with everything in it), or only these tables in it. */
    private static final class Made {
        boolean schema;
        final List<String> tables = new ArrayList<>();
    }

    /** Drops what the check made; answers null, or what is left and why. */
    private String drop(Made made) {
        if (made.schema) {
            try {
                // every supported engine drops a schema with its tables: PostgreSQL, Redshift, DuckDB, Snowflake,
                // Databricks, and BigQuery (a dataset)
                execute("DROP SCHEMA " + dialect.column(schema) + " CASCADE");
                return null;
            } catch (SQLException e) {
                return "schema " + schema + " (created by the check) could not be dropped: " + e.getMessage();
            }
        }
        List<String> left = new ArrayList<>();
        List<String> tables = new ArrayList<>(made.tables);
        java.util.Collections.reverse(tables);
        for (String table : tables) {
            try {
                execute("DROP TABLE " + dialect.table(schema + "." + table));
            } catch (SQLException e) {
                left.add(table + " (" + e.getMessage() + ")");
            }
        }
        return left.isEmpty() ? null : "tables of " + schema + " that could not be dropped: " + String.join("; ", left);
    }

    private void execute(String sql) throws SQLException {
        warehouse.execute(sql);
    }

    /** The definitions of one check, their two runs and the comparisons. */
    private final class Suite {
        private final RandomWarehouse data;
        private final long seed;
        private final DataGraph graph;
        private final ReferenceEvaluator reference;
        private final MembershipSnapshots snapshots;
        private final List<AudienceDefinition> definitions = new ArrayList<>();
        private final Instant runStart;
        private final Map<String, int[]> steps = new LinkedHashMap<>();
        private final List<ConformanceReport.Disagreement> disagreements = new ArrayList<>();
        private int disagreementsNotShown;
        private int withMembers;
        private int withMatched;
        private int withProfileChanges;
        private int withEntityChanges;

        Suite(RandomWarehouse data, long seed, int count, Instant runStart) {
            this.data = data;
            this.seed = seed;
            this.runStart = runStart;
            this.graph = data.graph(schema);
            this.reference = new ReferenceEvaluator(data, graph);
            this.snapshots = new MembershipSnapshots(warehouse, dialect, schema);
            RandomDefinitions generator = new RandomDefinitions(seed * 1000, graph, runStart);
            for (int i = 0; i < count; i++) {
                definitions.add(generator.next());
            }
            STEPS.forEach(step -> steps.put(step, new int[2]));
        }

        void run() throws SQLException {
            List<Set<String>> members = new ArrayList<>();
            List<Set<ReferenceEvaluator.Matched>> matched = new ArrayList<>();
            Set<Integer> firstRunFailed = new HashSet<>();
            for (int i = 0; i < definitions.size(); i++) {
                AudienceDefinition d = definitions.get(i);
                Set<String> expectedMembers = reference.members(d);
                Set<ReferenceEvaluator.Matched> expectedMatchedRows = reference.matched(d);
                Set<String> expectedMatched = rows(expectedMatchedRows);
                members.add(expectedMembers);
                matched.add(expectedMatchedRows);
                withMembers += expectedMembers.isEmpty() ? 0 : 1;
                withMatched += expectedMatched.isEmpty() ? 0 : 1;
                boolean ok = stageAndCompare(i, MEMBERS, MATCHED, expectedMembers, expectedMatched);
                // a promotion that fails is a disagreement of the first run without being a comparison of its own
                String id = audienceId(i);
                ok = ok && attempt(i, MATCHED, null, false, () -> snapshots.promote(id, "run-1"));
                if (!ok) {
                    firstRunFailed.add(i);
                }
            }
            data.change(seed * 1000 + 1);
            data.write(warehouse, dialect, schema);
            for (int i = 0; i < definitions.size(); i++) {
                if (firstRunFailed.contains(i)) {
                    continue; // no baseline to diff against; the first run's disagreement says why
                }
                AudienceDefinition d = definitions.get(i);
                Set<String> expectedMembers = reference.members(d);
                Set<ReferenceEvaluator.Matched> expectedMatchedRows = reference.matched(d);
                if (!stageAndCompare(i, MEMBERS_AFTER, MATCHED_AFTER, expectedMembers, rows(expectedMatchedRows))) {
                    continue;
                }
                Set<String> entered = difference(expectedMembers, members.get(i));
                Set<String> exited = difference(members.get(i), expectedMembers);
                withProfileChanges += entered.isEmpty() && exited.isEmpty() ? 0 : 1;
                compareChanges(i, PROFILES_ENTERED, identities(entered), true);
                compareChanges(i, PROFILES_EXITED, identities(exited), false);
                Set<String> after = pairs(expectedMatchedRows);
                Set<String> before = pairs(matched.get(i));
                Set<String> entitiesEntered = difference(after, before);
                Set<String> entitiesExited = difference(before, after);
                withEntityChanges += entitiesEntered.isEmpty() && entitiesExited.isEmpty() ? 0 : 1;
                compareEntityChanges(i, ENTITIES_ENTERED, entitiesEntered, true);
                compareEntityChanges(i, ENTITIES_EXITED, entitiesExited, false);
            }
        }

        private static String audienceId(int i) {
            return "check-" + i;
        }

        /** Stages a definition's members and matched entities as a run does and compares both; false if either failed to run. */
        private boolean stageAndCompare(int i, String membersStep, String matchedStep, Set<String> expectedMembers,
                                        Set<String> expectedMatched) {
            AudienceDefinition d = definitions.get(i);
            String id = audienceId(i);
            CompiledQuery membersQuery = compiler().members(d);
            boolean staged = attempt(i, membersStep, membersQuery, true, () -> snapshots.stage(id, "run", membersQuery));
            if (!staged) {
                return false;
            }
            compare(i, membersStep, membersQuery, expectedMembers, () -> column("SELECT profile_id FROM "
                    + dialect.table(snapshots.candidateTable()) + " WHERE audience_id = ?", id));
            CompiledQuery matchedQuery = compiler().matchedEntities(d, snapshots.candidateTable(), id);
            if (!attempt(i, matchedStep, matchedQuery, true, () -> snapshots.stageMatched(id, matchedQuery))) {
                return false;
            }
            compare(i, matchedStep, matchedQuery, expectedMatched, () -> stagedMatched(id));
            return true;
        }

        private SqlCompiler compiler() {
            return new SqlCompiler(dialect, graph, runStart, key -> key, schema);
        }

        /** The staged matched entities as "profile relationship:key under parent:key" (null parent at the top). */
        private Set<String> stagedMatched(String audienceId) throws SQLException {
            return new HashSet<>(warehouse.query("SELECT profile_id, relationship, entity_key, parent_relationship, parent_key FROM "
                    + dialect.table(snapshots.matchedTable(true)) + " WHERE audience_id = ?", List.of(audienceId),
                    row -> matchedRow(row.text(1), row.text(2), row.text(3), row.text(4), row.text(5))));
        }

        private static String matchedRow(String profile, String relationship, String key, String parentRelationship, String parentKey) {
            return profile + " " + relationship + ":" + key + " under " + parentRelationship + ":" + parentKey;
        }

        private static Set<String> rows(Set<ReferenceEvaluator.Matched> matched) {
            Set<String> out = new HashSet<>();
            matched.forEach(m -> out.add(matchedRow(m.profile(), m.relationship(), m.key(), m.parentRelationship(), m.parentKey())));
            return out;
        }

        /** The distinct (profile, relationship, entity) of matched rows, as a change set has them: "profile relationship:key". */
        private static Set<String> pairs(Set<ReferenceEvaluator.Matched> matched) {
            Set<String> out = new HashSet<>();
            matched.forEach(m -> out.add(m.profile() + " " + m.relationship() + ":" + m.key()));
            return out;
        }

        /** Profiles as a change set describes them: "profile user_id=... email=...". */
        private Set<String> identities(Set<String> profiles) {
            Set<String> out = new HashSet<>();
            profiles.forEach(p -> out.add(identity(p, reference.identifier(p, "user_id"), reference.identifier(p, "email"))));
            return out;
        }

        private static String identity(String profile, String userId, String email) {
            return profile + " user_id=" + userId + " email=" + email;
        }

        private void compareChanges(int i, String step, Set<String> expected, boolean entered) {
            Set<String> actual = new HashSet<>();
            MembershipSnapshots.PageConsumer<ProfileChange> collect = page -> page.forEach(p -> actual.add(identity(p.profileId(), p.userId(), p.email())));
            ProfileFields fields = ProfileFields.traits(List.of());
            if (attempt(i, step, null, true, () -> {
                if (entered) {
                    snapshots.entered(cursor, audienceId(i), graph, fields, PAGE_SIZE, collect);
                } else {
                    snapshots.exited(cursor, audienceId(i), graph, fields, PAGE_SIZE, collect);
                }
            })) {
                compare(i, step, null, expected, () -> actual);
            }
        }

        private void compareEntityChanges(int i, String step, Set<String> expected, boolean entered) {
            Set<String> actual = new HashSet<>();
            ProfileFields fields = ProfileFields.traits(List.of());
            boolean ran = attempt(i, step, null, true, () -> {
                for (String relationship : relationships(graph.profile().relationshipsOrEmpty())) {
                    MembershipSnapshots.PageConsumer<dev.linkedaudiences.compute.snapshot.EntityChange> collect =
                            page -> page.forEach(change -> actual.add(change.profile().profileId() + " " + relationship + ":" + change.entityKey()));
                    if (entered) {
                        snapshots.entitiesEntered(cursor, audienceId(i), relationship, graph, fields, PAGE_SIZE, collect);
                    } else {
                        snapshots.entitiesExited(cursor, audienceId(i), relationship, graph, fields, PAGE_SIZE, collect);
                    }
                }
            });
            if (ran) {
                compare(i, step, null, expected, () -> actual);
            }
        }

        private static List<String> relationships(List<Relationship> level) {
            List<String> slugs = new ArrayList<>();
            for (Relationship r : level) {
                slugs.add(r.slug());
                slugs.addAll(relationships(r.relationshipsOrEmpty()));
            }
            return slugs;
        }

        /** Work that may fail on the warehouse. */
        @FunctionalInterface
        private interface Work {
            void run() throws SQLException;
        }

        @FunctionalInterface
        private interface Rows {
            Set<String> read() throws SQLException;
        }

        /**
         * Runs {@code work}; a failure is a disagreement of the step on this definition, with the error, and counts
         * as one of the step's comparisons when {@code compared}.
         */
        private boolean attempt(int i, String step, CompiledQuery query, boolean compared, Work work) {
            try {
                work.run();
                return true;
            } catch (SQLException | RuntimeException e) {
                steps.get(step)[0] += compared ? 1 : 0;
                disagree(i, step, query, Set.of(), Set.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
                return false;
            }
        }

        private void compare(int i, String step, CompiledQuery query, Set<String> expected, Rows actualRows) {
            int[] counts = steps.get(step);
            counts[0]++;
            Set<String> actual;
            try {
                actual = actualRows.read();
            } catch (SQLException | RuntimeException e) {
                disagree(i, step, query, expected, Set.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
                return;
            }
            if (expected.equals(actual)) {
                counts[1]++;
            } else {
                disagree(i, step, query, expected, actual, null);
            }
        }

        private void disagree(int i, String step, CompiledQuery query, Set<String> expected, Set<String> actual, String error) {
            if (disagreements.size() >= MAX_DISAGREEMENTS) {
                disagreementsNotShown++;
                return;
            }
            CompiledQuery shown = query != null ? query : step.startsWith("entities") ? compiler().matchedEntities(definitions.get(i),
                    snapshots.candidateTable(), audienceId(i)) : compiler().members(definitions.get(i));
            disagreements.add(new ConformanceReport.Disagreement(step, i, JSON.valueToTree(definitions.get(i)), expected.size(), actual.size(),
                    first(expected), first(actual), first(difference(expected, actual)), first(difference(actual, expected)), error,
                    shown.sql(), shown.parameters().stream().map(String::valueOf).toList()));
        }

        private Set<String> column(String sql, String parameter) throws SQLException {
            return new HashSet<>(warehouse.query(sql, List.of(parameter), row -> row.text(1)));
        }

        ConformanceReport report(long started, String leftBehind) {
            List<ConformanceReport.Step> results = steps.entrySet().stream()
                    .map(e -> new ConformanceReport.Step(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
            boolean agreed = disagreements.isEmpty() && disagreementsNotShown == 0
                    && results.stream().allMatch(s -> s.compared() == definitions.size() && s.agreed() == s.compared());
            return new ConformanceReport(dialect.name(), schema, seed, definitions.size(), runStart, agreed, results,
                    new ConformanceReport.Coverage(withMembers, withMatched, withProfileChanges, withEntityChanges), List.copyOf(disagreements),
                    disagreementsNotShown, (System.nanoTime() - started) / 1_000_000, leftBehind == null, leftBehind);
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static List<String> first(Set<String> rows) {
        return rows.stream().sorted().limit(MAX_ROWS).toList();
    }
}
