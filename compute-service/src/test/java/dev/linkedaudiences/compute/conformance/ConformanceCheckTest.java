package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.compute.sql.PostgresDialect;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the conformance check does to schemas it did not make (nothing), and that it reports a wrong dialect: the
 * guarantees an installation relies on before pointing it at its own warehouse.
 */
class ConformanceCheckTest {
    private static final String DATABASE = "compute_conformance";
    private static final Instant RUN_START = Instant.parse("2026-11-24T08:00:00Z");

    @BeforeAll
    static void database() {
        LocalPostgres.recreateDatabase(DATABASE);
    }

    private static Connection connect() throws Exception {
        Connection c = LocalPostgres.connect(DATABASE);
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
        return c;
    }

    @Test
    void aSchemaThatHoldsATableIsRefusedAndLeftAsItWas() throws Exception {
        try (Connection c = connect(); Connection cursor = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA customer_data");
            s.execute("CREATE TABLE customer_data.orders (id TEXT)");
            s.execute("INSERT INTO customer_data.orders VALUES ('o1')");

            // also when the name differs only in case: on engines that fold case it is the same schema
            for (String schema : List.of("customer_data", "Customer_Data")) {
                assertThrows(ConformanceCheck.SchemaRefused.class,
                        () -> new ConformanceCheck(new JdbcSession(c), new JdbcSession(cursor), new PostgresDialect(), schema).run(1, 1, RUN_START));
                assertTrue(ConformanceCheck.refusal(new JdbcSession(c), schema, "la_compute").orElseThrow().contains("already holds 1 table(s) (orders)"));
            }
            assertEquals(Optional.of(List.of("orders")), new JdbcSession(c).tablesIn("customer_data"));
            try (ResultSet rs = s.executeQuery("SELECT id FROM customer_data.orders")) {
                assertTrue(rs.next());
                assertEquals("o1", rs.getString(1));
            }
        }
    }

    @Test
    void theSnapshotSchemaIsRefusedEvenEmpty() throws Exception {
        try (Connection c = connect()) {
            assertTrue(ConformanceCheck.refusal(new JdbcSession(c), "LA_compute", "la_compute").orElseThrow().contains("snapshot schema"));
        }
    }

    @Test
    void anEmptySchemaItDidNotCreateKeepsExistingAndOnlyLosesTheChecksTables() throws Exception {
        try (Connection c = connect(); Connection cursor = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA granted_scratch");

            ConformanceReport report = new ConformanceCheck(new JdbcSession(c), new JdbcSession(cursor), new PostgresDialect(), "granted_scratch").run(5, 5, RUN_START);

            assertTrue(report.agreed(), report.toString());
            assertTrue(report.dropped());
            assertEquals(Optional.of(List.of()), new JdbcSession(c).tablesIn("granted_scratch"), "the schema stays, empty");
        }
    }

    @Test
    void aDialectThatDoesNotEscapeLikeDisagreesAndTheReportShowsTheDefinitionAndSql() throws Exception {
        PostgresDialect unescaped = new PostgresDialect() {
            @Override
            public String escapeLike(String value) {
                return value; // % and _ in a constant then match anything
            }
        };
        try (Connection c = connect(); Connection cursor = connect()) {
            ConformanceReport report = new ConformanceCheck(new JdbcSession(c), new JdbcSession(cursor), unescaped, "la_check_broken").run(11, 60, RUN_START);

            assertFalse(report.agreed());
            assertTrue(report.steps().stream().anyMatch(step -> step.agreed() < step.compared()));
            // wrong rows: a pattern with a wildcard matched more than the text
            ConformanceReport.Disagreement rows = report.disagreements().stream().filter(d -> d.error() == null).findFirst().orElseThrow();
            assertFalse(rows.missing().isEmpty() && rows.unexpected().isEmpty(), rows.toString());
            assertTrue(rows.sql().contains(" LIKE "), rows.sql());
            assertTrue(rows.definition().toString().matches(".*\"(contains|not_contains|starts_with|ends_with)\".*"), rows.definition().toString());
            // a failing statement: a pattern ending in the escape character
            ConformanceReport.Disagreement failed = report.disagreements().stream().filter(d -> d.error() != null).findFirst().orElseThrow();
            assertTrue(failed.error().contains("LIKE pattern must not end with escape character"), failed.error());
            assertEquals(Optional.empty(), new JdbcSession(c).tablesIn("la_check_broken"), "dropped also when it disagreed");
        }
    }
}
