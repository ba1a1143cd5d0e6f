package dev.linkedaudiences.compute.suggestion;

import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.List;

/**
 * Values for the audience builder (audience-model.md, "Limits and validation"): the first 100 distinct values of an
 * entity's STRING column, or the 65 most frequent values of a profile trait or of an event property. A name the data
 * graph does not have is a 400 at its parameter. Blocking: call it off the event loop.
 */
@ApplicationScoped
public class ValueSuggestions {
    static final int ENTITY_VALUES = 100;
    static final int TOP_VALUES = 65;

    private final WarehouseGateway warehouse;

    public ValueSuggestions(WarehouseGateway warehouse) {
        this.warehouse = warehouse;
    }

    /** A suggested value; {@code count} is its frequency for the top-value lists, absent for entity values. */
    public record Suggestion(String value, Long count) {
    }

    public record Suggestions(List<Suggestion> values) {
    }

    /** The first distinct values of a STRING column of the relationship's entity. */
    public Suggestions entityValues(DataGraph graph, String relationship, String column) {
        Dialect dialect = warehouse.dialect();
        EntityType entity = graph.relationship(relationship).flatMap(r -> graph.entity(r.entity()))
                .orElseThrow(() -> ApiException.invalid("/relationship", "unknown relationship '" + relationship + "'"));
        String c = stringColumn(graph, entity.table(), column, "/column");
        return read(dialect.limit("SELECT DISTINCT " + dialect.column(c) + ", NULL FROM " + dialect.table(entity.table())
                + " WHERE " + dialect.column(c) + " IS NOT NULL ORDER BY 1", ENTITY_VALUES));
    }

    /** The most frequent values of a trait among profiles not merged into another. */
    public Suggestions traitValues(DataGraph graph, String trait) {
        String table = graph.profile().traitsTableOrDefault();
        return read(top(warehouse.dialect(), table, column(graph, table, trait, "/trait"), " AND " + warehouse.dialect().column("merged_to") + " IS NULL"));
    }

    /** The most frequent values of an event's property. */
    public Suggestions eventValues(DataGraph graph, String event, String property) {
        String table = graph.profile().eventTable(event);
        if (graph.catalog() == null || !graph.catalog().containsKey(table)) {
            throw ApiException.invalid("/event", "unknown event '" + event + "'");
        }
        return read(top(warehouse.dialect(), table, column(graph, table, property, "/property"), ""));
    }

    private static String top(Dialect dialect, String table, String column, String extraCondition) {
        String c = dialect.column(column);
        return dialect.limit("SELECT " + dialect.asText(c) + ", COUNT(*) FROM " + dialect.table(table) + " WHERE " + c + " IS NOT NULL"
                + extraCondition + " GROUP BY " + c + " ORDER BY 2 DESC, 1", TOP_VALUES);
    }

    private static String column(DataGraph graph, String table, String column, String pointer) {
        if (column == null || graph.columnType(table, column).isEmpty()) {
            throw ApiException.invalid(pointer, "unknown column '" + column + "' of " + table);
        }
        return column;
    }

    private static String stringColumn(DataGraph graph, String table, String column, String pointer) {
        column(graph, table, column, pointer);
        if (graph.columnType(table, column).orElseThrow() != DataType.STRING) {
            throw ApiException.invalid(pointer, "suggestions of entity values are for STRING columns");
        }
        return column;
    }

    private Suggestions read(String sql) {
        try (WarehouseSession session = warehouse.session()) {
            return new Suggestions(session.query(sql, List.of(), row -> new Suggestion(row.text(1), row.value(2) == null ? null : row.number(2))));
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse could not answer: " + e.getMessage());
        }
    }
}
