package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.activation.ActivationService;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

/** {@code /api/v1/destinations}: secrets are write-only. */
@Path("/api/v1/destinations")
public class DestinationResource {
    private final DestinationService destinations;
    private final ActivationService activations;

    public DestinationResource(DestinationService destinations, ActivationService activations) {
        this.destinations = destinations;
        this.activations = activations;
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

    /** Renames it and replaces its settings (secrets left out are kept); its activations are announced again. */
    @PUT
    @Path("/{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER})
    @WithTransaction
    public Uni<DestinationView> update(String id, DestinationRequest request) {
        return destinations.update(id, ApiException.requireBody(request)).call(d -> activations.announceUsersOf(d.id))
                .map(destinations::view);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    @RolesAllowed({Roles.WORKSPACE_OWNER})
    public Uni<Void> delete(String id) {
        return destinations.delete(id);
    }

    @POST
    @ResponseStatus(201)
    @RolesAllowed({Roles.WORKSPACE_OWNER})
    public Uni<DestinationView> create(DestinationRequest request) {
        return destinations.create(ApiException.requireBody(request));
    }
}
