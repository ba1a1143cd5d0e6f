package dev.linkedaudiences.compute.preview;

import dev.linkedaudiences.contracts.graph.DataGraph;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The current data graph, asked of audience-service when an answer is needed now (a preview of a definition
 * that no audience has yet), with the caller's own token. Base URL: {@code quarkus.rest-client.audience-service.url}.
 */
@RegisterRestClient(configKey = "audience-service")
@Path("/api/v1/data-graph")
public interface DataGraphClient {

    @GET
    Uni<DataGraph> current(@HeaderParam("Authorization") String authorization);
}
