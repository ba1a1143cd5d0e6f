package dev.linkedaudiences.compute.warehouse;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * One conversation with the warehouse: what the run, the previews and the conformance check say to it, whatever the
 * engine and its client (a JDBC connection, {@link JdbcSession}, or Google's BigQuery client, {@link BigQuerySession}).
 * Statements take positional {@code ?} parameters: text, whole numbers, decimals, booleans, {@code OffsetDateTime}
 * and {@code LocalDate}. A session is not shared between threads; closing it gives back what it holds. Errors of
 * every engine are {@link SQLException}s, their message the warehouse's own.
 */
public interface WarehouseSession extends AutoCloseable {

    /** Runs a statement that answers no rows (DDL, DML); answers the rows it changed, 0 where the engine does not say. */
    long execute(String sql, List<?> parameters) throws SQLException;

    default long execute(String sql) throws SQLException {
        return execute(sql, List.of());
    }

    /**
     * Every row of a query, each read by {@code reader}; rows it answers null for are left out. For results of
     * bounded size; see {@link #pages} otherwise.
     */
    <T> List<T> query(String sql, List<?> parameters, RowReader<T> reader) throws SQLException;

    /** The names of the columns of {@code sql}'s result, in order, without reading its rows. */
    List<String> columnNames(String sql) throws SQLException;

    /**
     * The rows of a query, read a page at a time, so that a change set of any size is never held in memory. The
     * session is the cursor's until the pages are closed: run other statements through another session.
     */
    <T> Pages<T> pages(String sql, List<?> parameters, RowReader<T> reader, int pageSize) throws SQLException;

    /**
     * The tables in {@code schema} (BigQuery: a dataset), or empty when there is no such schema. Names compare
     * without case, so that an engine that folds case (Databricks) or a schema differing only in case (Snowflake)
     * counts as present: when in doubt, the schema is someone's.
     */
    Optional<List<String>> tablesIn(String schema) throws SQLException;

    /** Runs {@code work} (statements through this session) as one transaction: all of it is kept, or none. */
    void transaction(Work work) throws SQLException;

    @Override
    void close() throws SQLException;

    /** Reads one row. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(Row row) throws SQLException;
    }

    /** Statements to run in one transaction. */
    @FunctionalInterface
    interface Work {
        void run() throws SQLException;
    }

    /** A query's rows, a page at a time; see {@link #pages}. */
    interface Pages<T> extends AutoCloseable {
        /** The next page of at most the page size's rows; empty once every row was read. */
        List<T> next() throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /**
     * One row of a result; columns count from 1. Values are Java's: {@code String}, {@code Long} or {@code Integer},
     * {@code BigDecimal}, {@code Double}, {@code Boolean}, and for times what {@code WarehouseValues#json} turns
     * into ISO-8601 text (a JDBC driver's own types, or {@code java.time}).
     */
    interface Row {
        int size() throws SQLException;

        /** The column's name as the warehouse reports it. */
        String name(int column) throws SQLException;

        Object value(int column) throws SQLException;

        /** The value as text; null for SQL NULL. */
        String text(int column) throws SQLException;

        /** A whole number; 0 for SQL NULL. */
        default long number(int column) throws SQLException {
            String text = text(column);
            return text == null ? 0 : Long.parseLong(text);
        }
    }
}
