package dev.linkedaudiences.compute.warehouse;

import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog reader per engine: on a real PostgreSQL and a real DuckDB, the tables of the asked schemas with
 * their types mapped; for Snowflake, BigQuery, Databricks and Redshift, the rows their catalog views answer (the
 * engines' own type names, recorded in src/test/resources/warehouse-catalog) through the same reading and mapping.
 */
class WarehouseCatalogTest {
    private static final String DATABASE = "compute_catalog_test";

    /** One table of every type family, in a named schema; a view next to it; one table in the default schema. */
    private static final String TABLES = """
            CREATE SCHEMA shop;
            CREATE TABLE shop.orders (id VARCHAR(20), note TEXT, code CHAR(2), amount NUMERIC(10,2), qty INTEGER,
              big BIGINT, small SMALLINT, ratio DOUBLE PRECISION, active BOOLEAN, born DATE, at_time TIME,
              created TIMESTAMP, created_tz TIMESTAMP WITH TIME ZONE, tags VARCHAR[], span INTERVAL);
            CREATE VIEW shop.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 100;
            CREATE TABLE profile_traits (canonical_segment_id VARCHAR, plan VARCHAR, merged_to VARCHAR)""";

    private static final Map<String, DataType> ORDERS = types(
            "id", "STRING", "note", "STRING", "code", "STRING", "amount", "NUMBER", "qty", "NUMBER", "big", "NUMBER",
            "small", "NUMBER", "ratio", "NUMBER", "active", "BOOLEAN", "born", "DATE", "at_time", "TIME",
            "created", "TIMESTAMP", "created_tz", "TIMESTAMP", "tags", "OTHER", "span", "OTHER");

    private static final Map<String, Map<String, DataType>> EXPECTED = Map.of(
            "shop.orders", ORDERS,
            "shop.big_orders", types("id", "STRING", "amount", "NUMBER"),
            "profile_traits", types("canonical_segment_id", "STRING", "plan", "STRING", "merged_to", "STRING"));

    @Test
    void postgresqlTablesAndViewsOfTheAskedSchemasWithTypesMapped() throws Exception {
        LocalPostgres.recreateDatabase(DATABASE);
        try (Connection c = LocalPostgres.connect(DATABASE)) {
            run(c, TABLES + ";\nCREATE TABLE shop.payloads (body JSONB, uid UUID, blob BYTEA, t_tz TIME WITH TIME ZONE, r REAL)");
            Map<String, Map<String, DataType>> catalog = WarehouseCatalog.read(new JdbcSession(c), CatalogView.of("postgresql"), Arrays.asList(null, "shop"));
            Map<String, Map<String, DataType>> expected = new HashMap<>(EXPECTED);
            expected.put("shop.payloads", types("body", "OTHER", "uid", "STRING", "blob", "OTHER", "t_tz", "TIME", "r", "NUMBER"));
            assertEquals(expected, catalog);
            assertEquals(Map.of(), WarehouseCatalog.read(new JdbcSession(c), CatalogView.of("postgresql"), List.of("no_such_schema")));
        }
    }

    @Test
    void duckdbTablesAndViewsOfTheAskedSchemasWithTypesMapped() throws Exception {
        // the driver itself, not DriverManager: after a @QuarkusTest the class loaders no longer let it find the driver
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new Properties())) {
            run(c, TABLES + ";\nCREATE TABLE shop.events (props STRUCT(a INTEGER), ids INTEGER[], h HUGEINT, f FLOAT,"
                    + " u UUID, tz TIMESTAMPTZ, blob BLOB)");
            Map<String, Map<String, DataType>> catalog = WarehouseCatalog.read(new JdbcSession(c), CatalogView.of("duckdb"), Arrays.asList(null, "shop"));
            Map<String, Map<String, DataType>> expected = new HashMap<>(EXPECTED);
            expected.put("shop.events", types("props", "OTHER", "ids", "OTHER", "h", "NUMBER", "f", "NUMBER", "u", "STRING",
                    "tz", "TIMESTAMP", "blob", "OTHER"));
            assertEquals(expected, catalog);
            assertEquals(Map.of(), WarehouseCatalog.read(new JdbcSession(c), CatalogView.of("duckdb"), List.of("no_such_schema")));
        }
    }

    /** Each recorded row maps to the type its last column expects; tables are keyed schema.table in stored case. */
    @ParameterizedTest
    @ValueSource(strings = {"snowflake", "bigquery", "databricks", "redshift"})
    void recordedCatalogRowsOfEachEngineMapToTheExpectedTypes(String engine) throws Exception {
        String recorded = Path.of("src/test/resources/warehouse-catalog", engine + ".csv").toAbsolutePath().toString();
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new Properties());
             Statement s = c.createStatement()) {
            String rows = "FROM read_csv('" + recorded + "', header = true, all_varchar = true)";
            Map<String, Map<String, DataType>> catalog = new TreeMap<>();
            WarehouseCatalog.collect(CatalogView.of(engine), "SEGMENT", new JdbcSession(c).query("SELECT * EXCLUDE (expected) " + rows,
                    List.of(), row -> new String[]{row.text(1), row.text(2), row.text(3)}), catalog);
            Map<String, Map<String, DataType>> expected = new TreeMap<>();
            try (ResultSet answer = s.executeQuery("SELECT * " + rows)) {
                while (answer.next()) {
                    expected.computeIfAbsent("SEGMENT." + answer.getString(1), t -> new TreeMap<>())
                            .put(answer.getString(2), DataType.valueOf(answer.getString(4)));
                }
            }
            assertTrue(expected.values().stream().mapToInt(Map::size).sum() > 20, "the recorded rows were read");
            assertEquals(expected, catalog);
        }
    }

    @Test
    void bigqueryWritesTheDatasetIntoTheQueryAndHasNoDefault() {
        CatalogView bigquery = CatalogView.of("bigquery");
        assertEquals("SELECT table_name, column_name, data_type FROM `segment_profiles`.INFORMATION_SCHEMA.COLUMNS"
                + " WHERE is_hidden = 'NO'", bigquery.query("segment_profiles").orElseThrow());
        assertFalse(bigquery.bindsSchema());
        assertTrue(bigquery.query(null).isEmpty());
        assertFalse(bigquery.schemaName().accepts("a`b"));
        assertFalse(bigquery.schemaName().accepts("project.dataset"));
        assertTrue(bigquery.schemaName().accepts("segment_profiles"));
        for (CatalogView other : List.of(CatalogView.of("snowflake"), CatalogView.of("redshift"), CatalogView.of("databricks"))) {
            assertTrue(other.bindsSchema(), other.engine());
            assertTrue(other.query(null).isPresent(), other.engine());
            assertTrue(other.schemaName().accepts("Any \"quoted\" name"), other.engine());
            assertFalse(other.schemaName().accepts("a.b"), other.engine());
            assertFalse(other.schemaName().accepts(""), other.engine());
        }
    }

    private static void run(Connection c, String statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements.split(";\\s*\\n")) {
                s.execute(statement);
            }
        }
    }

    private static Map<String, DataType> types(String... columnAndType) {
        Map<String, DataType> types = new TreeMap<>();
        for (int i = 0; i < columnAndType.length; i += 2) {
            types.put(columnAndType[i], DataType.valueOf(columnAndType[i + 1]));
        }
        return types;
    }
}
