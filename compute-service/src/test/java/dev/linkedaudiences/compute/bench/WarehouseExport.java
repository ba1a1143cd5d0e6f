package dev.linkedaudiences.compute.bench;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark warehouse of bench/audiences/warehouse.sql copied out of PostgreSQL as CSV files (one per table,
 * {@code <schema>.<table>.csv} with a header), for the engines that read it without a network: DuckDB's read_csv and
 * Spark. Timestamps are written in UTC without an offset. With fewer profiles than the 1M generated, it is a sample:
 * the first {@code profiles} profiles and every row that joins to them (their identifiers, id_graph rows, events,
 * households and pets, accounts and everything under them), all products; each sampled profile keeps all its data,
 * so an audience's members are those of the full warehouse among the sampled profiles.
 */
final class WarehouseExport {
    static final int FULL = 1_000_000;
    static final List<String> SCHEMAS = List.of("bench", "bench_profiles");

    /** A column and the engine-neutral type it is declared with when read back. */
    record Column(String name, String type) {
    }

    /**
     * Which rows join to the first N profiles (%1$d: N, %2$d: N / 2): profile p&lt;i&gt; has the email of account
     * a&lt;i&gt;, household h&lt;i/2&gt; and anonymous id anon&lt;i&gt;; warehouse.sql generates the ids so.
     */
    private static final Map<String, String> SAMPLE = Map.ofEntries(
            Map.entry("bench_profiles.profile_traits", "substr(canonical_segment_id, 2)::int < %1$d"),
            Map.entry("bench_profiles.user_identifiers", "substr(canonical_segment_id, 2)::int < %1$d"),
            Map.entry("bench_profiles.id_graph", "substr(canonical_segment_id, 2)::int < %1$d"),
            Map.entry("bench_profiles.order_completed",
                    "(CASE WHEN segment_id LIKE 'anon%%' THEN substr(segment_id, 5) ELSE substr(segment_id, 2) END)::int < %1$d"),
            Map.entry("bench.households", "substr(id, 2)::int < %2$d"),
            Map.entry("bench.pets", "substr(household_id, 2)::int < %2$d"),
            Map.entry("bench.accounts", "substr(id, 2)::int < %1$d"),
            Map.entry("bench.subscriptions", "substr(account_id, 2)::int < %1$d"),
            Map.entry("bench.credit_cards", "substr(account_id, 2)::int < %1$d"),
            Map.entry("bench.transactions", "card_id IN (SELECT id FROM bench.credit_cards WHERE substr(account_id, 2)::int < %1$d)"),
            Map.entry("bench.carts", "substr(account_id, 2)::int < %1$d"),
            Map.entry("bench.products", "TRUE"),
            Map.entry("bench.cart_product", "cart_id IN (SELECT id FROM bench.carts WHERE substr(account_id, 2)::int < %1$d)"));

    private final Path dir;
    private final Map<String, List<Column>> tables;

    private WarehouseExport(Path dir, Map<String, List<Column>> tables) {
        this.dir = dir;
        this.tables = tables;
    }

    /** The export of {@code profiles} profiles under {@code root}, written first if it is not there yet. */
    static WarehouseExport of(Connection postgres, Path root, int profiles) throws SQLException, IOException {
        Path dir = root.resolve("profiles-" + profiles).resolve("csv");
        WarehouseExport export = new WarehouseExport(dir, columns(postgres));
        if (!Files.exists(dir.resolve("complete"))) {
            export.write(postgres, profiles);
        }
        return export;
    }

    /** Table name ({@code schema.table}) to its columns, in order. */
    Map<String, List<Column>> tables() {
        return tables;
    }

    Path csv(String table) {
        return dir.resolve(table + ".csv");
    }

    private void write(Connection postgres, int profiles) throws SQLException, IOException {
        Files.createDirectories(dir);
        long start = System.nanoTime();
        long rows = 0;
        try (Statement s = postgres.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
        for (Map.Entry<String, List<Column>> table : tables.entrySet()) {
            String select = table.getValue().stream()
                    .map(c -> c.type().equals("TIMESTAMP") ? "to_char(\"" + c.name() + "\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS \"" + c.name() + "\""
                            : "\"" + c.name() + "\"")
                    .collect(Collectors.joining(", "));
            String where = profiles >= FULL ? "TRUE" : String.format(SAMPLE.get(table.getKey()), profiles, profiles / 2);
            try (OutputStream out = Files.newOutputStream(csv(table.getKey()))) {
                rows += postgres.unwrap(PGConnection.class).getCopyAPI().copyOut(
                        "COPY (SELECT " + select + " FROM " + table.getKey() + " WHERE " + where + ") TO STDOUT WITH (FORMAT csv, HEADER)", out);
            }
        }
        Files.writeString(dir.resolve("complete"), rows + " rows\n");
        System.out.printf("[bench] exported %,d rows (%d profiles) to %s in %d s%n", rows, profiles, dir, (System.nanoTime() - start) / 1_000_000_000);
    }

    /** The benchmark tables and their columns, typed STRING, BIGINT, DECIMAL(p,s) or TIMESTAMP (UTC). */
    private static Map<String, List<Column>> columns(Connection postgres) throws SQLException {
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        try (Statement s = postgres.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.table_schema || '.' || c.table_name, c.column_name, c.data_type, c.numeric_precision, c.numeric_scale"
                        + " FROM information_schema.columns c JOIN information_schema.tables t"
                        + " ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'"
                        + " WHERE c.table_schema IN ('" + String.join("', '", SCHEMAS) + "') ORDER BY 1, c.ordinal_position")) {
            while (rs.next()) {
                String type = switch (rs.getString(3)) {
                    case "text", "character varying" -> "STRING";
                    case "bigint", "integer" -> "BIGINT";
                    case "numeric" -> "DECIMAL(" + rs.getInt(4) + ", " + rs.getInt(5) + ")";
                    case "timestamp with time zone" -> "TIMESTAMP";
                    default -> throw new IllegalStateException("no export type for " + rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3));
                };
                tables.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Column(rs.getString(2), type));
            }
        }
        if (!tables.keySet().equals(SAMPLE.keySet())) {
            throw new IllegalStateException("the benchmark tables are " + tables.keySet() + "; the sample knows " + SAMPLE.keySet());
        }
        return tables;
    }
}
