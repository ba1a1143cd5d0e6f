package dev.linkedaudiences.compute.warehouse;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A warehouse session over one JDBC connection (every engine but BigQuery); closing it closes the connection. */
public final class JdbcSession implements WarehouseSession {
    private final Connection connection;

    public JdbcSession(Connection connection) {
        this.connection = connection;
    }

    @Override
    public long execute(String sql, List<?> parameters) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, parameters);
            if (ps.execute()) {
                return 0; // a statement that answered rows after all (a DuckDB CREATE TABLE AS answers its count)
            }
            return Math.max(0, ps.getUpdateCount()); // every driver implements the int count; a run stages far fewer than 2^31 rows
        }
    }

    @Override
    public <T> List<T> query(String sql, List<?> parameters, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                Row row = new JdbcRow(rs);
                while (rs.next()) {
                    T read = reader.read(row);
                    if (read != null) {
                        rows.add(read);
                    }
                }
            }
        }
        return rows;
    }

    @Override
    public List<String> columnNames(String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM (" + sql + ") la_columns WHERE 1 = 0");
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
            }
            return names;
        }
    }

    @Override
    public <T> Pages<T> pages(String sql, List<?> parameters, RowReader<T> reader, int pageSize) throws SQLException {
        return new JdbcPages<>(connection, sql, parameters, reader, pageSize);
    }

    @Override
    public Optional<List<String>> tablesIn(String schema) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Set<String> schemas = new TreeSet<>();
        try (ResultSet rs = meta.getSchemas()) {
            while (rs.next()) {
                if (schema.equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                    schemas.add(rs.getString("TABLE_SCHEM"));
                }
            }
        }
        // the tables of each schema so named, whatever its case (metadata patterns match case-sensitively)
        String escape = meta.getSearchStringEscape();
        List<String> tables = new ArrayList<>();
        for (String name : schemas) {
            String pattern = escape == null || escape.isEmpty() ? name
                    : name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
            try (ResultSet rs = meta.getTables(null, pattern, "%", null)) {
                while (rs.next()) {
                    if (name.equals(rs.getString("TABLE_SCHEM"))) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
        }
        return schemas.isEmpty() ? Optional.empty() : Optional.of(tables);
    }

    @Override
    public void transaction(Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    static void bind(PreparedStatement ps, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
    }

    /** The current row of a result set. */
    static final class JdbcRow implements Row {
        private final ResultSet rs;

        JdbcRow(ResultSet rs) {
            this.rs = rs;
        }

        @Override
        public int size() throws SQLException {
            return rs.getMetaData().getColumnCount();
        }

        @Override
        public String name(int column) throws SQLException {
            return rs.getMetaData().getColumnName(column);
        }

        @Override
        public Object value(int column) throws SQLException {
            return rs.getObject(column);
        }

        @Override
        public String text(int column) throws SQLException {
            return rs.getString(column);
        }
    }
}
