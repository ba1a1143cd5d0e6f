package dev.linkedaudiences.delivery.overview;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.api.Page;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The delivery overview of an audience (product.md): how many of its events were filtered, are pending retry,
 * failed or were delivered; and the failed ones themselves. Read by every role.
 */
@Path("/api/v1/delivery-overview")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
public class DeliveryOverviewResource {
    private final DeliveryOverviewService overviews;

    public DeliveryOverviewResource(DeliveryOverviewService overviews) {
        this.overviews = overviews;
    }

    /** {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 instants on the events' arrival time. */
    @GET
    public Uni<DeliveryOverview> overview(@QueryParam("audienceId") String audienceId,
                                          @QueryParam("activationId") String activationId,
                                          @QueryParam("eventName") String eventName,
                                          @QueryParam("from") String from,
                                          @QueryParam("to") String to) {
        return overviews.overview(audienceId, activationId, eventName, from, to);
    }

    @GET
    @Path("dead-letters")
    public Uni<Page<DeadLetter>> deadLetters(@QueryParam("audienceId") String audienceId,
                                             @QueryParam("activationId") String activationId,
                                             @QueryParam("limit") String limit,
                                             @QueryParam("cursor") String cursor) {
        return overviews.deadLetters(audienceId, activationId, limit, cursor);
    }

    /**
     * Replays dead letters: the failed events of an audience, activation, run and/or arrival time range go back to
     * pending with their message id, unless a later event of their profile and activation exists (superseded: they
     * stay failed). Answers {@code {"replayed": n, "superseded": m}}.
     */
    @POST
    @Path("dead-letters/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<Replayed> replay(ReplayRequest request) {
        return overviews.replay(ApiException.requireBody(request));
    }
}
