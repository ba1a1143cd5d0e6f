package dev.linkedaudiences.compute.sql;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;

/** The compiler's semantics on DuckDB (embedded, in memory): the same tests, another engine. */
class DuckDbSqlCompilerTest extends SqlCompilerTest {

    @Override
    Connection openSampleWarehouse() throws Exception {
        // the driver itself, not DriverManager: after a @QuarkusTest the class loaders no longer let it find the driver
        Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            for (String statement : Files.readString(SAMPLE_WAREHOUSE).split(";\\s*\\n")) {
                if (!statement.replaceAll("(?m)^\\s*--.*$", "").isBlank()) {
                    s.execute(statement);
                }
            }
        }
        return c;
    }

    @Override
    Dialect dialect() {
        return Dialects.of("duckdb");
    }
}
