package dev.linkedaudiences.compute.bench;

import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The five bench audiences' generated SQL beside the hand-written SQL on an engine without indexes
 * (bin/bench-audiences --no-index | --duckdb | --spark, docs/benchmarks.md): PostgreSQL on database bench_noindex
 * (warehouse.sql without its indexes), DuckDB on a file loaded from a CSV export of it, Spark (the databricks
 * dialect) on Parquet files written from that export. Only the members queries are timed (no full runs, no churn: the data stays as loaded).
 * <p>
 * Arguments: engine (postgresql, duckdb, databricks), the PostgreSQL JDBC URL of the no-index warehouse (the source of the
 * export and of the column types), benchmark directory, repetitions, timeout per query in seconds, profiles
 * (1000000 for the whole warehouse, fewer for a sample), working directory for the exports.
 */
public final class EngineBenchmark {

    public static void main(String[] args) throws Exception {
        String engineName = args[0];
        String postgresUrl = args[1];
        Path dir = Path.of(args[2]);
        int reps = Integer.parseInt(args[3]);
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[4]));
        int profiles = Integer.parseInt(args[5]);
        Path work = Path.of(args[6]);
        Map<String, AudienceDefinition> definitions = AudienceBenchmark.definitions(dir);
        try (Connection postgres = DriverManager.getConnection(postgresUrl, "la", "la")) {
            try (Statement s = postgres.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
            }
            DataGraph graph = AudienceBenchmark.graph(dir, postgres);
            try (QueryEngine engine = switch (engineName) {
                case "postgresql" -> {
                    if (profiles < WarehouseExport.FULL) {
                        throw new IllegalArgumentException("PostgreSQL runs on the whole warehouse only");
                    }
                    Connection c = DriverManager.getConnection(postgresUrl, "la", "la");
                    try (Statement s = c.createStatement()) {
                        s.execute("SET TIME ZONE 'UTC'");
                    }
                    yield new JdbcQueryEngine(c, Dialects.of("postgresql"));
                }
                case "duckdb" -> new JdbcQueryEngine(duckdb(WarehouseExport.of(postgres, work, profiles), work.resolve("profiles-" + profiles)),
                        Dialects.of("duckdb"));
                case "databricks" -> SparkQueryEngine.open(WarehouseExport.of(postgres, work, profiles), work.resolve("profiles-" + profiles));
                default -> throw new IllegalArgumentException("unknown engine " + engineName + " (postgresql, duckdb, databricks)");
            }) {
                System.out.printf("[bench] %,d profiles%s, no index%n", profiles, profiles < WarehouseExport.FULL ? " (a sample)" : "");
                GeneratedVsHandWritten.run(engine, () -> AudienceBenchmark.compiler(engine.dialect(), graph), definitions, dir, reps, timeout);
            }
        }
    }

    /** The DuckDB file of the export, loaded with read_csv the first time (into a temporary file renamed when complete). */
    static Connection duckdb(WarehouseExport export, Path dir) throws Exception {
        // DuckDB names a file's catalog after it: "bench" would be ambiguous with schema bench
        Path file = dir.resolve("warehouse.duckdb");
        if (!Files.exists(file)) {
            Path loading = dir.resolve("loading.duckdb");
            Files.deleteIfExists(loading);
            Files.deleteIfExists(dir.resolve("loading.duckdb.wal"));
            long start = System.nanoTime();
            try (Connection c = openDuckDb(loading); Statement s = c.createStatement()) {
                for (String schema : WarehouseExport.SCHEMAS) {
                    s.execute("CREATE SCHEMA " + schema);
                }
                for (Map.Entry<String, List<WarehouseExport.Column>> table : export.tables().entrySet()) {
                    String columns = table.getValue().stream()
                            .map(col -> "'" + col.name() + "': '" + duckDbType(col.type()) + "'").collect(Collectors.joining(", ", "{", "}"));
                    s.execute("CREATE TABLE " + table.getKey() + " AS SELECT * FROM read_csv('" + export.csv(table.getKey()).toAbsolutePath()
                            + "', header = true, delim = ',', quote = '\"', columns = " + columns + ")");
                }
                s.execute("CHECKPOINT");
            }
            Files.move(loading, file, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("[bench] loaded %s in %d s%n", file, (System.nanoTime() - start) / 1_000_000_000);
        }
        return openDuckDb(file);
    }

    private static Connection openDuckDb(Path file) throws SQLException {
        Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + file.toAbsolutePath(), new Properties());
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
        return c;
    }

    private static String duckDbType(String exportType) {
        return switch (exportType) {
            case "STRING" -> "VARCHAR";
            case "TIMESTAMP" -> "TIMESTAMPTZ";
            default -> exportType;
        };
    }

    private EngineBenchmark() {
    }
}
