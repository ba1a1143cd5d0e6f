package dev.linkedaudiences.compute.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one query through a server-side cursor. The cursor has its connection to itself (PostgreSQL streams
 * only inside a transaction, and some drivers allow one open result per connection).
 */
final class JdbcPages<T> implements WarehouseSession.Pages<T> {
    private final Connection cursor;
    private final boolean autoCommit;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final WarehouseSession.Row row;
    private final WarehouseSession.RowReader<T> reader;
    private final int pageSize;
    private boolean exhausted;

    JdbcPages(Connection cursor, String sql, List<?> parameters, WarehouseSession.RowReader<T> reader, int pageSize) throws SQLException {
        this.cursor = cursor;
        this.autoCommit = cursor.getAutoCommit();
        this.reader = reader;
        this.pageSize = pageSize;
        cursor.setAutoCommit(false);
        PreparedStatement ps = null;
        try {
            ps = cursor.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(pageSize);
            JdbcSession.bind(ps, parameters);
            this.rows = ps.executeQuery();
            this.row = new JdbcSession.JdbcRow(rows);
            this.statement = ps;
        } catch (SQLException | RuntimeException e) {
            if (ps != null) {
                ps.close();
            }
            endTransaction();
            throw e;
        }
    }

    @Override
    public List<T> next() throws SQLException {
        List<T> page = new ArrayList<>(exhausted ? 0 : pageSize);
        while (!exhausted && page.size() < pageSize) {
            if (rows.next()) {
                page.add(reader.read(row));
            } else {
                exhausted = true;
            }
        }
        return page;
    }

    @Override
    public void close() throws SQLException {
        try {
            statement.close();
        } finally {
            endTransaction();
        }
    }

    /** The cursor only read: its transaction ends without a trace, and the connection is as it was given. */
    private void endTransaction() throws SQLException {
        try {
            cursor.rollback();
        } finally {
            cursor.setAutoCommit(autoCommit);
        }
    }
}
