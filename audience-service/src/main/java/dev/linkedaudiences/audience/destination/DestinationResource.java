package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

/** {@code /api/v1/destinations}: secrets are write-only. */
@Path("/api/v1/destinations")
public class DestinationResource {
    private final DestinationService destinations;

    public DestinationResource(DestinationService destinations) {
        this.destinations = destinations;
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<List<DestinationView>> list() {
        return destinations.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<DestinationView> get(String id) {
        return destinations.get(id);
    }

    @POST
    @ResponseStatus(201)
    @RolesAllowed({Roles.WORKSPACE_OWNER})
    public Uni<DestinationView> create(DestinationRequest request) {
        return destinations.create(ApiException.requireBody(request));
    }
}
