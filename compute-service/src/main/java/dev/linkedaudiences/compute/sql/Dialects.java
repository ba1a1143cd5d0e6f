package dev.linkedaudiences.compute.sql;

import java.util.List;

/** The warehouses the compiler writes SQL for. PostgreSQL and DuckDB are executed in the tests; the others are checked against golden SQL. */
public final class Dialects {
    public static final List<Dialect> ALL = List.of(new PostgresDialect(), new DuckDbDialect(), new SnowflakeDialect(),
            new BigQueryDialect(), new RedshiftDialect(), new DatabricksDialect());

    public static Dialect of(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown warehouse dialect '" + name + "'; one of "
                        + ALL.stream().map(Dialect::name).toList()));
    }

    /** DuckDB: as PostgreSQL. */
    static final class DuckDbDialect extends PostgresDialect {
        @Override
        public String name() {
            return "duckdb";
        }
    }

    /** Snowflake: quoted identifiers keep their case; a backslash in a literal is an escape, so one is written '\\'. */
    static final class SnowflakeDialect extends QuotingDialect {
        SnowflakeDialect() {
            super('"', "VARCHAR", "'\\\\'", "'\\\\'");
        }

        @Override
        public String timestampColumn() {
            return "TIMESTAMP_TZ";
        }

        @Override
        public String name() {
            return "snowflake";
        }
    }

    /** BigQuery: backtick identifiers; LIKE has no ESCAPE clause, the backslash is its escape; keys are declared NOT ENFORCED. */
    static final class BigQueryDialect extends QuotingDialect {
        BigQueryDialect() {
            super('`', "STRING", null, "'\\\\'");
        }

        @Override
        public String primaryKey(String columns) {
            return super.primaryKey(columns) + " NOT ENFORCED";
        }

        @Override
        public String name() {
            return "bigquery";
        }
    }

    /** Redshift: as PostgreSQL, but a backslash in a literal is an escape. */
    static final class RedshiftDialect extends QuotingDialect {
        RedshiftDialect() {
            super('"', "VARCHAR", "'\\\\'", "'\\\\'");
        }

        @Override
        public String refreshStatistics(String table) {
            return "ANALYZE " + table;
        }

        @Override
        public String timestampColumn() {
            return "TIMESTAMPTZ";
        }

        @Override
        public String name() {
            return "redshift";
        }
    }

    /** Databricks (Spark SQL): backtick identifiers, backslash escapes in literals; no keys outside Unity Catalog. */
    static final class DatabricksDialect extends QuotingDialect {
        DatabricksDialect() {
            super('`', "STRING", "'\\\\'", "'\\\\'");
        }

        @Override
        public String primaryKey(String columns) {
            return null;
        }

        @Override
        public boolean promotesByMerge() {
            return true;
        }

        @Override
        public String name() {
            return "databricks";
        }
    }

    private Dialects() {
    }
}
