package dev.linkedaudiences.compute.sql;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the supported warehouses share, set by a few parameters: the identifier quote, the text type, and how
 * a single backslash is written as a string literal (which differs with the warehouse's literal rules). The
 * escape character of LIKE is always the backslash.
 */
abstract class QuotingDialect implements Dialect {
    private final char quote;
    private final String textType;
    private final String escapeClauseLiteral;
    private final String backslashLiteral;

    /**
     * @param escapeClauseLiteral the literal after {@code ESCAPE}, or null where LIKE takes no ESCAPE clause
     *                            (the backslash is then the built-in escape)
     * @param backslashLiteral    a string literal holding one backslash
     */
    QuotingDialect(char quote, String textType, String escapeClauseLiteral, String backslashLiteral) {
        this.quote = quote;
        this.textType = textType;
        this.escapeClauseLiteral = escapeClauseLiteral;
        this.backslashLiteral = backslashLiteral;
    }

    @Override
    public String table(String qualifiedName) {
        return Arrays.stream(qualifiedName.split("\\.")).map(this::column).collect(Collectors.joining("."));
    }

    @Override
    public String column(String name) {
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }

    @Override
    public String likeEscapeClause() {
        return escapeClauseLiteral == null ? "" : " ESCAPE " + escapeClauseLiteral;
    }

    @Override
    public String asText(String expression) {
        return "CAST(" + expression + " AS " + textType + ")";
    }

    @Override
    public String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public String escapeLikeSql(String expression) {
        String b = backslashLiteral;
        return "REPLACE(REPLACE(REPLACE(" + expression + ", " + b + ", " + b + " || " + b + "), '%', " + b + " || '%'), '_', " + b + " || '_')";
    }

    @Override
    public String textColumn(int length) {
        return textType.equals("VARCHAR") ? "VARCHAR(" + length + ")" : textType;
    }

    /** TIMESTAMP, an instant on BigQuery and Spark; the engines whose TIMESTAMP has no zone override this. */
    @Override
    public String timestampColumn() {
        return "TIMESTAMP";
    }

    @Override
    public String primaryKey(String columns) {
        return "PRIMARY KEY (" + columns + ")";
    }

    /** Only the row stores (PostgreSQL, DuckDB) override this. */
    @Override
    public boolean hasIndexes() {
        return false;
    }

    /** LIMIT, which every supported warehouse understands; a dialect without it overrides this. */
    @Override
    public String limit(String query, int rows) {
        return query + " LIMIT " + rows;
    }

    @Override
    public String toString() {
        return name();
    }
}
