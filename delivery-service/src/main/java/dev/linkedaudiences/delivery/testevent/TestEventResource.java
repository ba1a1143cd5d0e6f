package dev.linkedaudiences.delivery.testevent;

import dev.linkedaudiences.contracts.api.ActivationMessageRequest;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/v1/test-events} {@code {"activationId", "profileId"}}: sends the activation's message for that
 * profile now and answers {@code {"payload", "destination": {"status", "body", "reason"}}}.
 */
@Path("/api/v1/test-events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
public class TestEventResource {
    private final TestEventService testEvents;

    public TestEventResource(TestEventService testEvents) {
        this.testEvents = testEvents;
    }

    @POST
    public Uni<TestEventResult> send(ActivationMessageRequest request, @HeaderParam("Authorization") String authorization) {
        return testEvents.send(ApiException.requireBody(request), authorization);
    }
}
