package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

/** {@code /api/v1/activations}. */
@Path("/api/v1/activations")
@RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
public class ActivationResource {
    private final ActivationService activations;

    public ActivationResource(ActivationService activations) {
        this.activations = activations;
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<List<ActivationView>> list(@QueryParam("audienceId") String audienceId) {
        return activations.list(audienceId);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<ActivationView> get(String id) {
        return activations.get(id);
    }

    /** "Copy personalization syntax": the Handlebars paths of the activation's messages and a sample payload. */
    @GET
    @Path("/{id}/personalization")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<PersonalizationPaths.Personalization> personalization(String id) {
        return activations.personalization(id);
    }

    @POST
    @ResponseStatus(201)
    public Uni<ActivationView> create(ActivationRequest request) {
        return activations.create(ApiException.requireBody(request));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(String id) {
        return activations.delete(id);
    }
}
