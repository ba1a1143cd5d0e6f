package dev.linkedaudiences.compute.warehouse;

import dev.linkedaudiences.contracts.graph.DataType;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one engine describes its columns: the query over its catalog view, which answers
 * {@code (table name, column name, type name)} rows for one schema, and how its type names map to the definition
 * language's data types. One description per engine, {@link #of(String)}; {@link WarehouseCatalog} reads them all
 * the same way.
 *
 * <p>Names are compared and answered as the engine stores them: the SQL compiler quotes every identifier, so a
 * data graph names tables and columns in their stored case (upper case for unquoted names on Snowflake, lower
 * case on PostgreSQL, Redshift, Databricks and DuckDB).
 *
 * @param engine         the {@code warehouse.engine} value
 * @param schemaQuery    the rows of one schema: the schema is its one {@code ?} parameter, or is written in at
 *                       {@code %s} where the engine cannot take it as a parameter (BigQuery)
 * @param defaultQuery   the rows of the connection's default schema (no parameter); null: the engine has none
 * @param schemaName     the schema names this engine accepts in {@link #schemaQuery} (BigQuery's is not a parameter)
 * @param types          base type name (upper case, without length, precision or element type) to data type
 */
public record CatalogView(String engine, String schemaQuery, String defaultQuery, SchemaName schemaName,
                          Map<String, DataType> types) {

    /** The schema names an engine accepts, and the rule in words for the error that refuses one. */
    public record SchemaName(Pattern pattern, String rule) {
        boolean accepts(String schema) {
            return pattern.matcher(schema).matches();
        }
    }

    /** Any name a quoted identifier can hold, but no dot (a graph's table reference splits at the first one). */
    private static final SchemaName ANY_SCHEMA = new SchemaName(Pattern.compile("[^.\\p{Cntrl}]{1,255}"),
            "1 to 255 characters, no dot or control character");

    /** PostgreSQL's information_schema type names; Redshift reports the same ones for its own tables. */
    private static final Map<String, DataType> POSTGRES_TYPES = types(
            List.of("CHARACTER VARYING", "CHARACTER", "TEXT", "UUID", "CITEXT", "NAME"),
            List.of("SMALLINT", "INTEGER", "BIGINT", "NUMERIC", "DECIMAL", "REAL", "DOUBLE PRECISION"),
            List.of("BOOLEAN"), List.of("DATE"), List.of("TIME WITHOUT TIME ZONE", "TIME WITH TIME ZONE"),
            List.of("TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE"));

    /**
     * PostgreSQL: information_schema.columns, tables and views (not materialized views, which only pg_attribute
     * lists) the connecting role has a privilege on.
     */
    static final CatalogView POSTGRESQL = new CatalogView("postgresql",
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ?",
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()",
            ANY_SCHEMA, POSTGRES_TYPES);

    /**
     * Redshift: SVV_COLUMNS, not information_schema.columns. information_schema.columns (from the PG catalog) misses
     * the columns of late-binding views (created WITH NO SCHEMA BINDING, bound only when queried) and of Spectrum
     * external tables; SVV_COLUMNS adds both, with the same column names. External columns carry Hive-style type
     * names (int, string, double, decimal(p,s), timestamp), mapped here next to the PostgreSQL ones.
     */
    static final CatalogView REDSHIFT = new CatalogView("redshift",
            "SELECT table_name, column_name, data_type FROM svv_columns WHERE table_schema = ?",
            "SELECT table_name, column_name, data_type FROM svv_columns WHERE table_schema = current_schema()",
            ANY_SCHEMA, merge(POSTGRES_TYPES, types(
                    List.of("VARCHAR", "CHAR", "STRING", "BPCHAR"),
                    List.of("INT", "INT2", "INT4", "INT8", "TINYINT", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE"),
                    List.of("BOOL"), List.of(), List.of("TIMETZ"), List.of("TIMESTAMP", "TIMESTAMPTZ"))));

    /**
     * Snowflake: INFORMATION_SCHEMA.COLUMNS of the connection's database. DATA_TYPE is the standard name: NUMBER
     * for every fixed-point type (INT, DECIMAL ...), FLOAT for every floating one, TEXT for every character one;
     * VARIANT, OBJECT, ARRAY, BINARY, GEOGRAPHY, GEOMETRY and VECTOR are OTHER.
     */
    static final CatalogView SNOWFLAKE = new CatalogView("snowflake",
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ?",
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA()",
            ANY_SCHEMA, types(
                    List.of("TEXT", "VARCHAR", "CHAR", "CHARACTER", "STRING"),
                    List.of("NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT",
                            "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL"),
                    List.of("BOOLEAN"), List.of("DATE"), List.of("TIME"),
                    List.of("TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP", "DATETIME")));

    /**
     * Databricks: Unity Catalog's information_schema.columns of the current catalog. FULL_DATA_TYPE, the type as
     * declared (string, bigint, decimal(10,2), timestamp_ntz, array&lt;string&gt;), rather than DATA_TYPE's short
     * names; Databricks has no TIME type.
     */
    static final CatalogView DATABRICKS = new CatalogView("databricks",
            "SELECT table_name, column_name, full_data_type FROM information_schema.columns WHERE table_schema = ?",
            "SELECT table_name, column_name, full_data_type FROM information_schema.columns WHERE table_schema = current_schema()",
            ANY_SCHEMA, types(
                    List.of("STRING", "VARCHAR", "CHAR"),
                    List.of("TINYINT", "BYTE", "SMALLINT", "SHORT", "INT", "INTEGER", "BIGINT", "LONG", "DECIMAL", "DEC",
                            "NUMERIC", "FLOAT", "REAL", "DOUBLE"),
                    List.of("BOOLEAN"), List.of("DATE"), List.of(), List.of("TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_NTZ")));

    /**
     * BigQuery: {@code `dataset`.INFORMATION_SCHEMA.COLUMNS}. The dataset qualifies the view, so it is written into
     * the query (a dataset name is letters, digits and underscores, which is all this accepts), and there is no
     * default dataset: tables are named {@code dataset.table}. Pseudo-columns (_PARTITIONTIME) are left out.
     * DATETIME (civil time, no zone) is a TIMESTAMP, read as UTC like the other engines' zone-less timestamps.
     */
    static final CatalogView BIGQUERY = new CatalogView("bigquery",
            "SELECT table_name, column_name, data_type FROM `%s`.INFORMATION_SCHEMA.COLUMNS WHERE is_hidden = 'NO'",
            null, new SchemaName(Pattern.compile("[A-Za-z0-9_]{1,1024}"), "a dataset name: letters, digits and underscores"), types(
                    List.of("STRING"),
                    List.of("INT64", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT", "NUMERIC", "DECIMAL",
                            "BIGNUMERIC", "BIGDECIMAL", "FLOAT64"),
                    List.of("BOOL", "BOOLEAN"), List.of("DATE"), List.of("TIME"), List.of("TIMESTAMP", "DATETIME")));

    /** DuckDB: information_schema.columns of the open database file (an attached one has its own catalog). */
    static final CatalogView DUCKDB = new CatalogView("duckdb",
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_catalog = current_database() AND table_schema = ?",
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_catalog = current_database() AND table_schema = current_schema()",
            ANY_SCHEMA, types(
                    List.of("VARCHAR", "CHAR", "BPCHAR", "TEXT", "STRING", "UUID"),
                    List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                            "UBIGINT", "UHUGEINT", "DECIMAL", "NUMERIC", "FLOAT", "REAL", "DOUBLE"),
                    List.of("BOOLEAN"), List.of("DATE"), List.of("TIME", "TIME WITH TIME ZONE"),
                    List.of("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS")));

    public static final List<CatalogView> ALL = List.of(POSTGRESQL, REDSHIFT, SNOWFLAKE, DATABRICKS, BIGQUERY, DUCKDB);

    public static CatalogView of(String engine) {
        return ALL.stream().filter(v -> v.engine.equals(engine)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown warehouse engine '" + engine + "'; one of "
                        + ALL.stream().map(CatalogView::engine).toList()));
    }

    /** The query for one schema (null: the default one), or empty when the engine has no default schema. */
    Optional<String> query(String schema) {
        if (schema == null) {
            return Optional.ofNullable(defaultQuery);
        }
        // BigQuery's dataset qualifies the view: written in, once schemaName allowed it (only [A-Za-z0-9_])
        return Optional.of(bindsSchema() ? schemaQuery : String.format(schemaQuery, schema));
    }

    /** Whether the schema is a bind parameter of {@link #query} (else it is written into the query). */
    boolean bindsSchema() {
        return !schemaQuery.contains("%s");
    }

    /**
     * The data type of one of this engine's type names: its base name (before a length, precision or element
     * type: {@code NUMBER(38,0)}, {@code decimal(10,2)}, {@code STRING(20)}) looked up; anything else (arrays,
     * structs, JSON, binary, intervals) is OTHER.
     */
    public DataType dataType(String typeName) {
        if (typeName == null) {
            return DataType.OTHER;
        }
        String t = typeName.trim().toUpperCase(Locale.ROOT);
        int end = t.length();
        for (char c : new char[]{'(', '<'}) {
            int i = t.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        if (t.endsWith("[]") || t.endsWith("]")) {
            return DataType.OTHER; // DuckDB lists and arrays: INTEGER[], VARCHAR[3]
        }
        return types.getOrDefault(t.substring(0, end).trim(), DataType.OTHER);
    }

    private static Map<String, DataType> types(List<String> strings, List<String> numbers, List<String> booleans,
                                               List<String> dates, List<String> times, List<String> timestamps) {
        Map<String, DataType> types = new HashMap<>();
        strings.forEach(t -> types.put(t, DataType.STRING));
        numbers.forEach(t -> types.put(t, DataType.NUMBER));
        booleans.forEach(t -> types.put(t, DataType.BOOLEAN));
        dates.forEach(t -> types.put(t, DataType.DATE));
        times.forEach(t -> types.put(t, DataType.TIME));
        timestamps.forEach(t -> types.put(t, DataType.TIMESTAMP));
        return Map.copyOf(types);
    }

    private static Map<String, DataType> merge(Map<String, DataType> a, Map<String, DataType> b) {
        Map<String, DataType> merged = new HashMap<>(a);
        merged.putAll(b);
        return Map.copyOf(merged);
    }
}
