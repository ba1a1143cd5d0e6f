package dev.linkedaudiences.compute.warehouse;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/warehouse/catalog}: the tables and typed columns of the warehouse's schemas, which audience-service
 * checks a data graph against (compute-service is the only service that reaches the warehouse).
 * {@code ?schema=a&schema=b}; no schema: the warehouse's default schema, whose tables are keyed by bare name. A
 * schema the engine cannot have is a 400 at {@code /schema/i} (i: its place among the parameters).
 */
@Path("/api/v1/warehouse/catalog")
public class CatalogResource {
    /** More schemas than a data graph can sensibly spread over: a request asking for more is refused. */
    static final int MAX_SCHEMAS = 50;

    private final WarehouseCatalog catalog;

    public CatalogResource(WarehouseCatalog catalog) {
        this.catalog = catalog;
    }

    /** {@code tables}: {@code "schema.table"} (or {@code "table"}) to column name to data type. */
    public record Catalog(Map<String, Map<String, DataType>> tables) {
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<Catalog> catalog(@QueryParam("schema") List<String> schema) {
        List<String> schemas = schema == null || schema.isEmpty() ? Arrays.asList((String) null) : schema;
        if (schemas.size() > MAX_SCHEMAS) {
            return Uni.createFrom().failure(ApiException.invalid("/schema", "at most " + MAX_SCHEMAS + " schemas at once"));
        }
        return VertxContextSupport.executeBlocking(() -> new Catalog(catalog.describe(schemas)));
    }
}
