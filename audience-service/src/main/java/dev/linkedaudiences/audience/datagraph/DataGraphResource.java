package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

/** {@code /api/v1/data-graph}: the installation's one data graph. */
@Path("/api/v1/data-graph")
public class DataGraphResource {
    private final DataGraphService graphs;

    public DataGraphResource(DataGraphService graphs) {
        this.graphs = graphs;
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<DataGraph> get() {
        return graphs.current();
    }

    /** Replaces the graph after checking it against the warehouse; answers the graph with its column catalog. */
    @PUT
    @RolesAllowed({Roles.WORKSPACE_OWNER})
    public Uni<DataGraph> put(DataGraph graph, @HeaderParam("Authorization") String authorization) {
        return graphs.replace(ApiException.requireBody(graph), authorization);
    }
}
