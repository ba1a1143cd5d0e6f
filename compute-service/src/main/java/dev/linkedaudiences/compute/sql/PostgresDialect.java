package dev.linkedaudiences.compute.sql;

/**
 * PostgreSQL (and the sample warehouse): double-quoted identifiers, standard string literals in which a
 * backslash is an ordinary character, {@code LIKE ... ESCAPE '\'}.
 */
public class PostgresDialect extends QuotingDialect {

    public PostgresDialect() {
        super('"', "VARCHAR", "'\\'", "'\\'");
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
    public boolean hasIndexes() {
        return true;
    }

    @Override
    public String name() {
        return "postgresql";
    }
}
