package dev.linkedaudiences.compute.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.compute.conformance.ConformanceCheck;
import dev.linkedaudiences.compute.conformance.ConformanceReport;
import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled SQL against the in-memory reference evaluator, on random warehouses and random definitions, on
 * PostgreSQL and on DuckDB, through the conformance check an installation runs on its own warehouse: members and
 * matched entities of a first run, then after the warehouse changed, members, matched entities, entered and exited
 * profiles and entities of a second run. A failure prints the report: seed, definitions, rows and SQL.
 */
class DifferentialTest {
    private static final Instant RUN_START = Instant.parse("2026-11-24T08:00:00Z");
    /** Two warehouses per engine on every build; {@code -Ddifferential.seeds=100-149} runs a longer search (seeds from-to). */
    private static final long[] WAREHOUSE_SEEDS = seeds(System.getProperty("differential.seeds", "11-12"));
    private static final int DEFINITIONS_PER_WAREHOUSE = 100;
    private static final String SCRATCH = "la_differential";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void postgresqlAgreesWithTheReference() throws Exception {
        LocalPostgres.recreateDatabase("compute_differential");
        try (Connection c = postgres(); Connection cursor = postgres()) {
            agree(c, cursor, "postgresql");
        }
    }

    /**
     * Redshift's dialect where its SQL overlaps PostgreSQL's (Redshift was forked from PostgreSQL 8.0): with
     * {@code standard_conforming_strings} off, PostgreSQL reads a backslash in a literal as an escape, as Redshift
     * does, so the dialect's LIKE escaping is checked for real. What PostgreSQL cannot check is listed in
     * docs/warehouses.md (Redshift, "What the differential suite checks").
     */
    @Test
    void redshiftDialectAgreesOnPostgresql() throws Exception {
        LocalPostgres.recreateDatabase("compute_differential");
        try (Connection c = postgres(); Connection cursor = postgres()) {
            for (Connection each : new Connection[]{c, cursor}) {
                try (Statement s = each.createStatement()) {
                    s.execute("SET standard_conforming_strings = off");
                    s.execute("SET escape_string_warning = off");
                }
            }
            agree(c, cursor, "redshift");
        }
    }

    private static Connection postgres() throws Exception {
        Connection c = LocalPostgres.connect("compute_differential");
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
            // JIT compilation costs more than these tiny queries take: 0.5 s or more each
            s.execute("SET jit = off");
        }
        return c;
    }

    @Test
    void duckdbAgreesWithTheReference() throws Exception {
        try (DuckDBConnection c = (DuckDBConnection) new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
             Connection cursor = c.duplicate()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
            }
            agree(c, cursor, "duckdb");
        }
    }

    private static long[] seeds(String range) {
        String[] ends = range.split("-");
        return java.util.stream.LongStream.rangeClosed(Long.parseLong(ends[0]), Long.parseLong(ends[ends.length - 1])).toArray();
    }

    private static void agree(Connection c, Connection cursor, String engine) throws Exception {
        for (long seed : WAREHOUSE_SEEDS) {
            ConformanceReport report = new ConformanceCheck(new JdbcSession(c), new JdbcSession(cursor), Dialects.of(engine), SCRATCH).run(seed, DEFINITIONS_PER_WAREHOUSE, RUN_START);
            String context = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
            assertTrue(report.agreed(), context);
            assertEquals(Optional.empty(), new JdbcSession(c).tablesIn(SCRATCH), "the check drops its scratch schema");
            // guard against a generator or a change that only makes trivial cases
            ConformanceReport.Coverage coverage = report.coverage();
            assertTrue(coverage.withMembers() > DEFINITIONS_PER_WAREHOUSE / 4, context);
            assertTrue(coverage.withMatchedEntities() > DEFINITIONS_PER_WAREHOUSE / 10, context);
            assertTrue(coverage.withProfileChanges() > DEFINITIONS_PER_WAREHOUSE / 10, context);
            assertTrue(coverage.withEntityChanges() > DEFINITIONS_PER_WAREHOUSE / 10, context);
        }
    }
}
