package dev.linkedaudiences.alerting.alert;

import dev.linkedaudiences.contracts.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.UUID;

/** Alert rules per audience. Reads for every role; writes for workspace owners and engage users. */
@Path("/api/v1/alerts")
public class AlertRuleResource {
    private final AlertRuleService rules;
    private final SecurityIdentity identity;

    public AlertRuleResource(AlertRuleService rules, SecurityIdentity identity) {
        this.rules = rules;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<Response> create(CreateAlertRule request, @Context UriInfo uri) {
        // An empty body is answered like an empty object: with every missing field named.
        CreateAlertRule body = request != null ? request : new CreateAlertRule(null, null, null, null);
        return rules.create(body, identity.getPrincipal().getName())
                .map(rule -> Response.created(uri.getAbsolutePathBuilder().path(rule.id().toString()).build())
                        .entity(rule).build());
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<List<AlertRuleView>> list(@QueryParam("audienceId") String audienceId) {
        return rules.list(audienceId);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<AlertRuleView> get(@PathParam("id") UUID id) {
        return rules.get(id);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return rules.delete(id, identity.getPrincipal().getName(), identity.hasRole(Roles.WORKSPACE_OWNER));
    }
}
