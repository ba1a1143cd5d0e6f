package dev.linkedaudiences.compute.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.compute.conformance.ConformanceCheck;
import dev.linkedaudiences.compute.conformance.ConformanceReport;
import dev.linkedaudiences.compute.conformance.RandomWarehouse;
import dev.linkedaudiences.compute.conformance.ReferenceEvaluator;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.ProfileFields;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Databricks dialect executed on Apache Spark SQL (Databricks SQL is Spark SQL), in an in-process local
 * session configured as a Databricks SQL warehouse runs: ANSI mode on (ANSI_MODE is the Databricks SQL system default
 * for accounts created since October 2022), session time zone UTC, tables in Delta Lake (the Databricks default
 * format, and the one that takes the snapshot tables' DELETEs). The statements are the product's own: the conformance
 * check an installation runs on its warehouse (the same one DifferentialTest runs on PostgreSQL and DuckDB) goes
 * through {@link SparkJdbc}, a JDBC connection over the session.
 * <p>
 * Written down, not checkable here: promotion's {@code DELETE ... WHERE NOT EXISTS (SELECT ...)}. Databricks takes
 * EXISTS and NOT EXISTS subqueries in a DELETE's WHERE; open-source Delta Lake (delta-spark 4.0.1) refuses any
 * subquery there (DELTA_UNSUPPORTED_SUBQUERY). The first run's promotion therefore fails on Spark, and the second
 * run's steps (members and matched entities after changes, entered and exited profiles and entities) are not reached;
 * the test accepts exactly that failure and nothing else, and checks them all once promotion runs.
 */
class SparkDifferentialTest {
    private static final Instant RUN_START = Instant.parse("2026-11-24T08:00:00Z");
    /** Far fewer than on PostgreSQL and DuckDB: each statement costs Spark about a second, and the suite runs on every push. */
    private static final long SEED = 11;
    private static final int DEFINITIONS = 3;
    private static final String SCRATCH = "la_check";
    private static final String CHANGES = "la_changes";
    private static final String AUDIENCE = "changes";
    private static final Dialect DATABRICKS = Dialects.of("databricks");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    /** Spark's and Delta's INFO logs are a page per statement; held here, as JUL keeps loggers weakly. */
    private static final List<Logger> QUIET = Stream.of("org.apache.spark", "org.apache.hadoop", "org.sparkproject", "io.delta",
            "org.apache.parquet").map(Logger::getLogger).toList();
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() throws IOException {
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
        Path warehouseDir = Path.of("target", "spark-warehouse").toAbsolutePath();
        deleteTree(warehouseDir); // the catalog is in memory: tables left on disk by an earlier run would be in the way
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("databricks-dialect")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.warehouse.dir", warehouseDir.toString())
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.ansi.enabled", "true")
                // timestamps and dates read back as java.time values
                .config("spark.sql.datetime.java8API.enabled", "true")
                // tables of a few hundred rows: compiling generated code and re-planning between stages cost more than they save
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.sources.default", "delta")
                // one file and one partition of log state per table, no checkpoint every ten commits, no checksum job per commit
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .config("spark.databricks.delta.properties.defaults.checkpointInterval", "1000")
                .config("spark.databricks.delta.writeChecksumFile.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theSnapshotTablesAreCreatedOnceAndAgainWithoutError() throws Exception {
        Connection c = SparkJdbc.connect(spark);
        MembershipSnapshots.ensureSchema(new JdbcSession(c), DATABRICKS, "la_compute");
        MembershipSnapshots.ensureSchema(new JdbcSession(c), DATABRICKS, "la_compute"); // IF NOT EXISTS: an instance starting on a set-up warehouse
        assertEquals(Optional.of(MembershipSnapshots.TABLES.stream().sorted().toList()),
                new JdbcSession(c).tablesIn("la_compute").map(tables -> tables.stream().sorted().toList()));
        assertEquals(List.of("audience_id string false", "profile_id string false", "run_id string false"),
                Arrays.stream(spark.table("la_compute.membership").schema().fields())
                        .map(f -> f.name() + " " + f.dataType().simpleString() + " " + f.nullable()).toList());
        spark.sql("DROP SCHEMA la_compute CASCADE");
    }

    @Test
    void theConformanceCheckAgreesOnSpark() throws Exception {
        Connection c = SparkJdbc.connect(spark);
        ConformanceReport report = new ConformanceCheck(new JdbcSession(c), new JdbcSession(c), DATABRICKS, SCRATCH).run(SEED, DEFINITIONS, RUN_START);
        String context = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        for (ConformanceReport.Step step : report.steps().subList(0, 2)) { // members, matched entities: the first run
            assertEquals(DEFINITIONS, step.compared(), context);
            assertEquals(step.compared(), step.agreed(), context);
        }
        assertTrue(report.agreed() || report.disagreements().stream().allMatch(SparkDifferentialTest::promotionRefusedByDelta), context);
        assertEquals(Optional.empty(), new JdbcSession(c).tablesIn(SCRATCH), "the check drops its scratch schema");
        // guard against definitions that only make trivial cases
        assertTrue(report.coverage().withMembers() > 0 && report.coverage().withMatchedEntities() > 0, context);
    }

    /**
     * The change-set statements (entered and exited profiles with their user_id and email, entered and exited entities)
     * on Spark, which the conformance check cannot reach here (see the class comment): a baseline is made of one
     * definition's staged rows by the INSERT half of a promotion, a second definition is staged, and each change set
     * must be the reference's set difference.
     */
    @Test
    void changeSetsAgreeWithTheReferenceOnSpark() throws Exception {
        Connection c = SparkJdbc.connect(spark);
        String schema = CHANGES;
        RandomWarehouse data = new RandomWarehouse(SEED, RUN_START);
        spark.sql("CREATE SCHEMA " + schema);
        try {
            for (String table : data.createStatements(DATABRICKS, schema).values()) {
                spark.sql(table);
            }
            MembershipSnapshots.ensureSchema(new JdbcSession(c), DATABRICKS, schema);
            data.write(new JdbcSession(c), DATABRICKS, schema);
            DataGraph graph = data.graph(schema);
            ReferenceEvaluator reference = new ReferenceEvaluator(data, graph);
            MembershipSnapshots snapshots = new MembershipSnapshots(new JdbcSession(c), DATABRICKS, schema);
            AudienceDefinition before = definition("plan", "active");
            AudienceDefinition after = definition("vip", "closed");
            stage(snapshots, graph, before);
            spark.sql("INSERT INTO " + schema + ".membership SELECT audience_id, profile_id, run_id FROM " + schema + ".candidate");
            spark.sql("INSERT INTO " + schema + ".matched SELECT * FROM " + schema + ".matched_candidate");
            stage(snapshots, graph, after);

            Set<String> entered = new HashSet<>();
            Set<String> exited = new HashSet<>();
            ProfileFields fields = ProfileFields.traits(List.of());
            snapshots.entered(new JdbcSession(c), AUDIENCE, graph, fields, 16, page -> page.forEach(p -> entered.add(identity(p))));
            snapshots.exited(new JdbcSession(c), AUDIENCE, graph, fields, 16, page -> page.forEach(p -> exited.add(identity(p))));
            Set<String> expectedEntered = identities(reference, difference(reference.members(after), reference.members(before)));
            Set<String> expectedExited = identities(reference, difference(reference.members(before), reference.members(after)));
            assertEquals(expectedEntered, entered);
            assertEquals(expectedExited, exited);

            Set<String> entitiesEntered = new HashSet<>();
            Set<String> entitiesExited = new HashSet<>();
            snapshots.entitiesEntered(new JdbcSession(c), AUDIENCE, "accounts", graph, fields, 16,
                    page -> page.forEach(e -> entitiesEntered.add(e.profile().profileId() + " " + e.entityKey())));
            snapshots.entitiesExited(new JdbcSession(c), AUDIENCE, "accounts", graph, fields, 16,
                    page -> page.forEach(e -> entitiesExited.add(e.profile().profileId() + " " + e.entityKey())));
            assertEquals(difference(accounts(reference, after), accounts(reference, before)), entitiesEntered);
            assertEquals(difference(accounts(reference, before), accounts(reference, after)), entitiesExited);
            // guard against a seed that makes every change set empty
            assertTrue(!expectedEntered.isEmpty() && !expectedExited.isEmpty() && !entitiesEntered.isEmpty() && !entitiesExited.isEmpty());
        } finally {
            spark.sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** Profiles with {@code trait} and an account of {@code status}; the accounts are its matched entities. */
    private static AudienceDefinition definition(String trait, String status) throws IOException {
        return JSON.readValue("""
                {"operator": "and", "groups": [{"operator": "and", "conditions": [
                  {"type": "trait", "trait": "%s", "op": "exists"},
                  {"type": "entity", "relationship": "accounts", "where": {"operator": "and", "filters": [
                    {"column": "status", "op": "equals", "value": {"const": "%s"}}]}}]}]}""".formatted(trait, status), AudienceDefinition.class);
    }

    private static void stage(MembershipSnapshots snapshots, DataGraph graph, AudienceDefinition definition) throws Exception {
        snapshots.stage(AUDIENCE, "run", new SqlCompiler(DATABRICKS, graph, RUN_START, k -> k, CHANGES).members(definition));
        snapshots.stageMatched(AUDIENCE, new SqlCompiler(DATABRICKS, graph, RUN_START, k -> k, CHANGES)
                .matchedEntities(definition, snapshots.candidateTable(), AUDIENCE));
    }

    private static String identity(ProfileChange p) {
        return p.profileId() + " user_id=" + p.userId() + " email=" + p.email();
    }

    private static Set<String> identities(ReferenceEvaluator reference, Set<String> profiles) {
        return profiles.stream().map(p -> p + " user_id=" + reference.identifier(p, "user_id") + " email=" + reference.identifier(p, "email"))
                .collect(Collectors.toSet());
    }

    private static Set<String> accounts(ReferenceEvaluator reference, AudienceDefinition definition) {
        return reference.matched(definition).stream().filter(m -> m.relationship().equals("accounts"))
                .map(m -> m.profile() + " " + m.key()).collect(Collectors.toSet());
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** The one failure open-source Delta causes and Databricks does not (see the class comment). */
    private static boolean promotionRefusedByDelta(ConformanceReport.Disagreement d) {
        return d.error() != null && d.error().contains("DELTA_UNSUPPORTED_SUBQUERY") && d.error().contains("AND NOT EXISTS (SELECT 1 FROM")
                && d.missing().isEmpty() && d.unexpected().isEmpty();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
