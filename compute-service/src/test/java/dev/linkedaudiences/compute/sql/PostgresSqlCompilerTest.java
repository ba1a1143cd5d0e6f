package dev.linkedaudiences.compute.sql;

import dev.linkedaudiences.testsupport.LocalPostgres;

import java.sql.Connection;
import java.sql.Statement;

/** The compiler's semantics on PostgreSQL. */
class PostgresSqlCompilerTest extends SqlCompilerTest {
    private static final String DB = "compute_sql_test";

    @Override
    Connection openSampleWarehouse() throws Exception {
        LocalPostgres.recreateDatabase(DB);
        LocalPostgres.runScript(DB, SAMPLE_WAREHOUSE);
        Connection c = LocalPostgres.connect(DB);
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
        return c;
    }

    @Override
    Dialect dialect() {
        return new PostgresDialect();
    }
}
