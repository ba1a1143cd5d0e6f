package dev.linkedaudiences.compute.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.compute.conformance.ConformanceCheck;
import dev.linkedaudiences.compute.conformance.ConformanceReport;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
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
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 * Promotion is the Databricks dialect's MERGE ({@code Dialect#promotesByMerge}): open-source Delta Lake (delta-spark
 * 4.0.1) refuses a subquery in a DELETE's WHERE (DELTA_UNSUPPORTED_SUBQUERY), which Databricks Runtime takes.
 */
class SparkDifferentialTest {
    private static final Instant RUN_START = Instant.parse("2026-11-24T08:00:00Z");
    /** Far fewer than on PostgreSQL and DuckDB: each statement costs Spark about a second, and the suite runs on every push. */
    private static final long SEED = 11;
    private static final int DEFINITIONS = 3;
    private static final String SCRATCH = "la_check";
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
        for (ConformanceReport.Step step : report.steps()) { // both runs: members, matched entities, entered and exited
            assertEquals(DEFINITIONS, step.compared(), context);
            assertEquals(step.compared(), step.agreed(), context);
        }
        assertTrue(report.agreed(), context);
        assertEquals(Optional.empty(), new JdbcSession(c).tablesIn(SCRATCH), "the check drops its scratch schema");
        // guard against definitions that only make trivial cases
        assertTrue(report.coverage().withMembers() > 0 && report.coverage().withMatchedEntities() > 0
                && report.coverage().withProfileChanges() > 0 && report.coverage().withEntityChanges() > 0, context);
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
