package dev.linkedaudiences.compute.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.compute.conformance.RandomDefinitions;
import dev.linkedaudiences.compute.conformance.RandomWarehouse;
import dev.linkedaudiences.compute.conformance.ReferenceEvaluator;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled SQL against the in-memory reference evaluator, on random warehouses and random definitions, on
 * PostgreSQL and on DuckDB: members and matched entities must be the same sets. A failure prints the seed and
 * the definition, which reproduce it.
 */
class DifferentialTest {
    private static final Instant RUN_START = Instant.parse("2026-11-24T08:00:00Z");
    private static final long[] WAREHOUSE_SEEDS = {11, 12};
    private static final int DEFINITIONS_PER_WAREHOUSE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postgresqlAgreesWithTheReference() throws Exception {
        LocalPostgres.recreateDatabase("compute_differential");
        try (Connection c = LocalPostgres.connect("compute_differential")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
                // JIT compilation costs more than these tiny queries take: 0.5 s or more each
                s.execute("SET jit = off");
            }
            agree(c, Dialects.of("postgresql"), "TIMESTAMPTZ");
        }
    }

    @Test
    void duckdbAgreesWithTheReference() throws Exception {
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties())) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
            }
            agree(c, Dialects.of("duckdb"), "TIMESTAMPTZ");
        }
    }

    private static void agree(Connection c, Dialect dialect, String timestampType) throws Exception {
        MembershipSnapshots.ensureSchema(c, dialect, "la_compute");
        MembershipSnapshots snapshots = new MembershipSnapshots(c, dialect, "la_compute");
        int nonEmpty = 0;
        int withMatches = 0;
        for (long seed : WAREHOUSE_SEEDS) {
            RandomWarehouse warehouse = new RandomWarehouse(seed, RUN_START);
            warehouse.load(c, timestampType);
            DataGraph graph = warehouse.graph();
            ReferenceEvaluator reference = new ReferenceEvaluator(warehouse, graph);
            RandomDefinitions definitions = new RandomDefinitions(seed * 1000, graph, RUN_START);
            for (int i = 0; i < DEFINITIONS_PER_WAREHOUSE; i++) {
                AudienceDefinition definition = definitions.next();
                String audienceId = "diff-" + seed + "-" + i;
                String context = dialect.name() + ", warehouse seed " + seed + ", definition " + i + ": " + JSON.writeValueAsString(definition);
                Set<String> expected = reference.members(definition);
                snapshots.stage(audienceId, "run", new SqlCompiler(dialect, graph, RUN_START, k -> k, "la_compute").members(definition));

                assertEquals(expected, rows(c, "SELECT profile_id FROM la_compute.candidate WHERE audience_id = '" + audienceId + "'"), context);

                Set<String> expectedMatched = new HashSet<>();
                reference.matched(definition).forEach(m -> expectedMatched.add(m.profile() + " " + m.relationship() + ":" + m.key()
                        + " under " + m.parentRelationship() + ":" + m.parentKey()));
                snapshots.stageMatched(audienceId, new SqlCompiler(dialect, graph, RUN_START, k -> k, "la_compute")
                        .matchedEntities(definition, snapshots.candidateTable(), audienceId));
                assertEquals(expectedMatched, rows(c, "SELECT profile_id || ' ' || relationship || ':' || entity_key || ' under '"
                        + " || COALESCE(parent_relationship, 'null') || ':' || COALESCE(parent_key, 'null') FROM la_compute.matched_candidate"
                        + " WHERE audience_id = '" + audienceId + "'"), "matched entities, " + context);
                nonEmpty += expected.isEmpty() ? 0 : 1;
                withMatches += expectedMatched.isEmpty() ? 0 : 1;
            }
        }
        int total = WAREHOUSE_SEEDS.length * DEFINITIONS_PER_WAREHOUSE;
        // guard against a generator that only makes trivial audiences
        assertTrue(nonEmpty > total / 4, "only " + nonEmpty + " of " + total + " definitions had members");
        assertTrue(withMatches > total / 10, "only " + withMatches + " of " + total + " definitions matched entities");
    }

    private static Set<String> rows(Connection c, String sql) throws Exception {
        Set<String> rows = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
