package dev.linkedaudiences.compute.suggestion;

import dev.linkedaudiences.compute.preview.DataGraphClient;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.sql.SQLException;
import java.util.List;

/**
 * {@code /api/v1/suggestions}: values for the audience builder (audience-model.md, "Limits and validation"): the
 * first 100 distinct values of an entity's STRING column ({@code relationship} + {@code column}), or the 65 most
 * frequent values of a profile trait ({@code trait}) or of an event property ({@code event} + {@code property}).
 */
@Path("/api/v1/suggestions")
public class SuggestionResource {
    static final int ENTITY_VALUES = 100;
    static final int TOP_VALUES = 65;

    private final DataGraphClient graphs;
    private final WarehouseGateway warehouse;

    public SuggestionResource(@RestClient DataGraphClient graphs, WarehouseGateway warehouse) {
        this.graphs = graphs;
        this.warehouse = warehouse;
    }

    /** A suggested value; {@code count} is its frequency for the top-value lists, absent for entity values. */
    public record Suggestion(String value, Long count) {
    }

    public record Suggestions(List<Suggestion> values) {
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<Suggestions> suggest(@QueryParam("relationship") String relationship, @QueryParam("column") String column,
                                    @QueryParam("trait") String trait, @QueryParam("event") String event,
                                    @QueryParam("property") String property, @HeaderParam("Authorization") String authorization) {
        return graphs.current(authorization)
                .onFailure(WebApplicationException.class).transform(e -> ApiException.unavailable("no data graph to suggest from"))
                .flatMap(graph -> {
                    Dialect dialect = warehouse.dialect();
                    String sql;
                    if (relationship != null) {
                        EntityType entity = graph.relationship(relationship).flatMap(r -> graph.entity(r.entity()))
                                .orElseThrow(() -> ApiException.invalid("/relationship", "unknown relationship '" + relationship + "'"));
                        String c = stringColumn(graph, entity.table(), column, "/column");
                        sql = dialect.limit("SELECT DISTINCT " + dialect.column(c) + ", NULL FROM " + dialect.table(entity.table())
                                + " WHERE " + dialect.column(c) + " IS NOT NULL ORDER BY 1", ENTITY_VALUES);
                    } else if (trait != null) {
                        String table = graph.profile().traitsTableOrDefault();
                        sql = top(dialect, table, column(graph, table, trait, "/trait"), " AND " + dialect.column("merged_to") + " IS NULL");
                    } else if (event != null) {
                        String table = graph.profile().eventTable(event);
                        if (graph.catalog() == null || !graph.catalog().containsKey(table)) {
                            throw ApiException.invalid("/event", "unknown event '" + event + "'");
                        }
                        sql = top(dialect, table, column(graph, table, property, "/property"), "");
                    } else {
                        throw ApiException.invalid("/relationship", "ask for relationship and column, trait, or event and property");
                    }
                    return VertxContextSupport.executeBlocking(() -> new Suggestions(read(sql)));
                });
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

    private List<Suggestion> read(String sql) {
        try (WarehouseSession session = warehouse.session()) {
            return session.query(sql, List.of(), row -> new Suggestion(row.text(1), row.value(2) == null ? null : row.number(2)));
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse could not answer: " + e.getMessage());
        }
    }
}
