package dev.linkedaudiences.compute.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one query, read a page at a time through a server-side cursor, so that a change set of any size is
 * never held in memory. The cursor has its connection to itself (PostgreSQL streams only inside a transaction, and
 * some drivers allow one open result per connection): lookups for a page go through another connection.
 */
public final class Pages<T> implements AutoCloseable {
    private final Connection cursor;
    private final boolean autoCommit;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final RowReader<T> reader;
    private final int pageSize;
    private boolean exhausted;

    /** Reads one row of the cursor as T. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Binds one statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    Pages(Connection cursor, String sql, Binder binder, RowReader<T> reader, int pageSize) throws SQLException {
        this.cursor = cursor;
        this.autoCommit = cursor.getAutoCommit();
        this.reader = reader;
        this.pageSize = pageSize;
        cursor.setAutoCommit(false);
        PreparedStatement ps = null;
        try {
            ps = cursor.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(pageSize);
            binder.bind(ps);
            this.rows = ps.executeQuery();
            this.statement = ps;
        } catch (SQLException | RuntimeException e) {
            if (ps != null) {
                ps.close();
            }
            endTransaction();
            throw e;
        }
    }

    /** The next page of at most {@code pageSize} rows; empty once every row was read. */
    public List<T> next() throws SQLException {
        List<T> page = new ArrayList<>(exhausted ? 0 : pageSize);
        while (!exhausted && page.size() < pageSize) {
            if (rows.next()) {
                page.add(reader.read(rows));
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
