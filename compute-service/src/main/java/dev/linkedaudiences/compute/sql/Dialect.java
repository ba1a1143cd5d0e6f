package dev.linkedaudiences.compute.sql;

/**
 * What differs between warehouses in the SQL the compiler writes. Identifiers always come from the
 * validated data graph and are quoted here; values never appear in SQL text, they are bound parameters.
 */
public interface Dialect {

    /** Quotes a possibly schema-qualified name ("prod.carts" -> "prod"."carts"). */
    String table(String qualifiedName);

    /** Quotes one column or alias name. */
    String column(String name);

    /** The clause that makes LIKE treat the escape character of {@link #escapeLike} as an escape. */
    String likeEscapeClause();

    /** An expression as text (entity keys of any type are stored and compared as text). */
    String asText(String expression);

    /** Escapes %, _ and the escape character so that a value matches literally inside a LIKE pattern. */
    String escapeLike(String value);

    /** The same escaping, in SQL, for a pattern computed from a column (a dynamic reference). */
    String escapeLikeSql(String expression);

    /** {@code query} limited to its first {@code rows} rows. */
    String limit(String query, int rows);

    /** The type of a text column of at most {@code length} characters, for the snapshot tables. */
    String textColumn(int length);

    /**
     * The type of a column holding a point in time, as event tables have it: a timestamp with time zone where the
     * engine has one (TIMESTAMPTZ, Snowflake's TIMESTAMP_TZ), else its instant type (BigQuery and Spark TIMESTAMP).
     */
    String timestampColumn();

    /** The primary-key clause of a snapshot table, or null where the warehouse has none to declare. */
    String primaryKey(String columns);

    /**
     * The statement that refreshes a table's planner statistics after a bulk write, where the warehouse plans from
     * statistics it does not keep up to date itself (PostgreSQL, Redshift and DuckDB; null elsewhere). A snapshot
     * table the planner believes empty turns the matched-entities query into nested loops over the whole audience.
     */
    default String refreshStatistics(String table) {
        return null;
    }

    /** Whether the warehouse has secondary indexes (the row stores); the column stores need none. */
    boolean hasIndexes();

    /**
     * Whether a snapshot is promoted with one {@code MERGE ... WHEN NOT MATCHED BY SOURCE THEN DELETE} rather than a
     * DELETE and an INSERT, each with NOT EXISTS: Delta tables (Databricks) are written by MERGE, and outside
     * Databricks Runtime take no subquery in a DELETE's WHERE.
     */
    default boolean promotesByMerge() {
        return false;
    }

    /** The dialect's name, as {@code warehouse.engine} spells it. */
    String name();
}
