package dev.linkedaudiences.compute.sql;

import java.util.Arrays;
import java.util.stream.Collectors;

/** PostgreSQL (and the sample warehouse). */
public final class PostgresDialect implements Dialect {

    @Override
    public String table(String qualifiedName) {
        return Arrays.stream(qualifiedName.split("\\.")).map(this::column).collect(Collectors.joining("."));
    }

    @Override
    public String column(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String likeEscapeClause() {
        return " ESCAPE '\\'";
    }

    @Override
    public String asText(String expression) {
        return "CAST(" + expression + " AS VARCHAR)";
    }

    @Override
    public String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
