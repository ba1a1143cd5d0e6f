package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.contracts.graph.DataType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.Map;

/**
 * The warehouse's tables and typed columns, asked of compute-service (the only service that reaches the warehouse)
 * with the caller's own token. No schema: the warehouse's default schema, tables keyed by bare name. Base URL and
 * timeouts: {@code quarkus.rest-client.compute-service.*}.
 */
@RegisterRestClient(configKey = "compute-service")
@Path("/api/v1/warehouse/catalog")
public interface WarehouseCatalogClient {

    /** compute-service's answer: {@code "schema.table"} (or {@code "table"}) to column name to data type. */
    record Catalog(Map<String, Map<String, DataType>> tables) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Catalog> catalog(@HeaderParam("Authorization") String authorization, @QueryParam("schema") List<String> schemas);
}
