package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads table and column metadata from the warehouse's information_schema, so the data graph is checked
 * against what really exists. Keys are table references as the graph writes them: "schema.table", or a
 * bare "table" for the warehouse's default schema.
 */
@ApplicationScoped
public class WarehouseCatalog {
    private final AgroalDataSource warehouse;

    public WarehouseCatalog(@DataSource("warehouse") AgroalDataSource warehouse) {
        this.warehouse = warehouse;
    }

    /** Every table of these schemas (null = the default schema), with its columns' data types. */
    public Uni<Map<String, Map<String, DataType>>> describeSchemas(Collection<String> schemas) {
        return VertxContextSupport.executeBlocking(() -> {
            Map<String, Map<String, DataType>> tables = new HashMap<>();
            try (Connection c = warehouse.getConnection()) {
                for (String schema : schemas) {
                    readSchema(c, schema, tables);
                }
            } catch (SQLException e) {
                throw ApiException.unavailable("the warehouse is unreachable: " + e.getMessage());
            }
            return tables;
        });
    }

    private static void readSchema(Connection c, String schema, Map<String, Map<String, DataType>> into) throws SQLException {
        String sql = "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = "
                + (schema == null ? "current_schema()" : "?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (schema != null) {
                ps.setString(1, schema);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = schema == null ? rs.getString(1) : schema + "." + rs.getString(1);
                    into.computeIfAbsent(table, t -> new HashMap<>()).put(rs.getString(2), dataType(rs.getString(3)));
                }
            }
        }
    }

    /** Maps a PostgreSQL information_schema data_type to the definition language's data types. */
    static DataType dataType(String warehouseType) {
        String t = warehouseType.toLowerCase(Locale.ROOT);
        if (t.equals("boolean")) {
            return DataType.BOOLEAN;
        }
        if (t.startsWith("timestamp")) {
            return DataType.TIMESTAMP;
        }
        if (t.equals("date")) {
            return DataType.DATE;
        }
        if (t.startsWith("time")) {
            return DataType.TIME;
        }
        if (t.contains("char") || t.equals("text") || t.equals("uuid")) {
            return DataType.STRING;
        }
        if (t.equals("numeric") || t.equals("integer") || t.equals("bigint") || t.equals("smallint")
                || t.equals("real") || t.equals("double precision") || t.equals("decimal")) {
            return DataType.NUMBER;
        }
        return DataType.OTHER;
    }
}
