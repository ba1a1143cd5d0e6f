package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.api.Page;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.ResponseStatus;

/** {@code /api/v1/audiences}. */
@Path("/api/v1/audiences")
@RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
public class AudienceResource {
    private final AudienceService audiences;

    public AudienceResource(AudienceService audiences) {
        this.audiences = audiences;
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<Page<AudienceView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return audiences.list(limit, cursor);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<AudienceView> get(String id) {
        return audiences.get(id);
    }

    /** Creates a disabled audience. */
    @POST
    @ResponseStatus(201)
    public Uni<AudienceView> create(AudienceRequest request) {
        return audiences.create(ApiException.requireBody(request));
    }

    @PUT
    @Path("/{id}")
    public Uni<AudienceView> update(String id, AudienceRequest request) {
        return audiences.update(id, ApiException.requireBody(request));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(String id) {
        return audiences.delete(id);
    }

    @POST
    @Path("/{id}/clone")
    @ResponseStatus(201)
    public Uni<AudienceView> copy(String id) {
        return audiences.copy(id);
    }

    @POST
    @Path("/{id}/enable")
    public Uni<AudienceView> enable(String id) {
        return audiences.enable(id);
    }

    @POST
    @Path("/{id}/disable")
    public Uni<AudienceView> disable(String id) {
        return audiences.disable(id);
    }
}
