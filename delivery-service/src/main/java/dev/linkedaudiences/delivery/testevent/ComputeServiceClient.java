package dev.linkedaudiences.delivery.testevent;

import dev.linkedaudiences.contracts.api.ActivationMessageRequest;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The message an activation would send for one profile now, asked of compute-service with the caller's own token
 * (it builds messages from the warehouse). 404 when the activation or the profile is unknown there. Base URL:
 * {@code quarkus.rest-client.compute-service.url}.
 */
@RegisterRestClient(configKey = "compute-service")
@Path("/api/v1/activation-messages")
public interface ComputeServiceClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<ActivationEvent> activationMessage(@HeaderParam("Authorization") String authorization, ActivationMessageRequest request);
}
