package dev.linkedaudiences.testsupport;

import dev.linkedaudiences.contracts.graph.DataType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The column types of a PostgreSQL warehouse's schemas, as audience-service's catalog check records them (benchmarks). */
public final class WarehouseCatalog {

    public static Map<String, Map<String, DataType>> of(Connection c, String... schemas) throws SQLException {
        Map<String, Map<String, DataType>> catalog = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_schema || '.' || table_name, column_name, data_type"
                + " FROM information_schema.columns WHERE table_schema = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", schemas));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(3);
                    DataType dataType = type.contains("timestamp") ? DataType.TIMESTAMP
                            : type.equals("numeric") || type.contains("int") || type.contains("double") ? DataType.NUMBER
                            : type.equals("boolean") ? DataType.BOOLEAN : type.equals("date") ? DataType.DATE : DataType.STRING;
                    catalog.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2), dataType);
                }
            }
        }
        return catalog;
    }

    private WarehouseCatalog() {
    }
}
