package dev.linkedaudiences.compute.warehouse;

import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The warehouse's tables and columns, per schema, with each column's type mapped to the definition language's data
 * types: what a data graph is checked against. The engine's {@link CatalogView} says which catalog view to read and
 * how its type names map; the reading is the same for every engine. Keys are table references as a data graph
 * writes them: {@code schema.table}, or a bare {@code table} for the warehouse's default schema.
 */
@ApplicationScoped
public class WarehouseCatalog {
    private final WarehouseGateway warehouse;

    public WarehouseCatalog(WarehouseGateway warehouse) {
        this.warehouse = warehouse;
    }

    /** The engine's catalog description. */
    public CatalogView view() {
        return CatalogView.of(warehouse.engine());
    }

    /**
     * Every table of these schemas (null: the default schema) with its columns' data types. Blocking (call it off
     * the event loop). A schema name the engine cannot have is a 400 at {@code /schema/i}; the warehouse unreachable
     * or refusing to answer is a 503.
     */
    public Map<String, Map<String, DataType>> describe(List<String> schemas) {
        CatalogView view = view();
        requireReadable(view, schemas);
        WarehouseSession session;
        try {
            session = warehouse.session();
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse is unreachable: " + e.getMessage());
        }
        try (session) {
            return read(session, view, schemas.stream().distinct().toList());
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse did not answer its catalog query (SQLState " + e.getSQLState()
                    + "): " + e.getMessage());
        }
    }

    /** A refused schema is reported at {@code /schema/i}, its place among the schema parameters. */
    private static void requireReadable(CatalogView view, List<String> schemas) {
        for (int i = 0; i < schemas.size(); i++) {
            String schema = schemas.get(i);
            if (schema == null && view.query(null).isEmpty()) {
                throw ApiException.invalid("/schema", view.engine() + " has no default schema: name tables as schema.table");
            }
            if (schema != null && !view.schemaName().accepts(schema)) {
                throw ApiException.invalid("/schema/" + i, "'" + abbreviated(schema) + "' is not a " + view.engine()
                        + " schema name (" + view.schemaName().rule() + ")");
            }
        }
    }

    private static String abbreviated(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.codePointCount(0, printable.length()) > 64
                ? printable.substring(0, printable.offsetByCodePoints(0, 64)) + "..." : printable;
    }

    /** The tables of these schemas through this session, read with the engine's description. */
    static Map<String, Map<String, DataType>> read(WarehouseSession session, CatalogView view, Collection<String> schemas) throws SQLException {
        Map<String, Map<String, DataType>> tables = new TreeMap<>();
        for (String schema : schemas) {
            List<Object> parameters = schema != null && view.bindsSchema() ? List.of(schema) : List.of();
            collect(view, schema, session.query(view.query(schema).orElseThrow(), parameters,
                    row -> new String[]{row.text(1), row.text(2), row.text(3)}), tables);
        }
        return tables;
    }

    /**
     * Adds the rows of a catalog view's answer ({@code table name, column name, type name}) to {@code into}, keyed
     * {@code schema.table} (bare {@code table} for the default schema), types mapped by the engine's description.
     */
    static void collect(CatalogView view, String schema, List<String[]> rows, Map<String, Map<String, DataType>> into) {
        for (String[] row : rows) {
            String table = schema == null ? row[0] : schema + "." + row[0];
            into.computeIfAbsent(table, t -> new TreeMap<>()).put(row[1], view.dataType(row[2]));
        }
    }
}
