package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

/** {@code /api/v1/runs}: Run Now, the run history of an audience, one run, cancel, and approving or discarding a held run. */
@Path("/api/v1/runs")
public class RunResource {
    private final RunService runs;
    private final SecurityIdentity identity;

    public RunResource(RunService runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    public record RunNowRequest(String audienceId) {
    }

    /** Queues a run; while one is queued or running for the audience, answers that one. */
    @POST
    @ResponseStatus(202)
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<RunView> runNow(RunNowRequest request) {
        if (ApiException.requireBody(request).audienceId() == null) {
            throw ApiException.invalid("/audienceId", "audienceId is required");
        }
        return runs.runNow(request.audienceId()).map(RunView::of);
    }

    /** The last 50 runs of an audience, newest first. */
    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<List<RunView>> history(@QueryParam("audienceId") String audienceId) {
        if (audienceId == null || audienceId.isBlank()) {
            throw ApiException.invalid("/audienceId", "the audienceId query parameter is required");
        }
        return runs.history(audienceId).map(all -> all.stream().map(RunView::of).toList());
    }

    /** Cancels a queued run at once, a running one at its next checkpoint; 409 once it finished. */
    @POST
    @Path("/{id}/cancel")
    @ResponseStatus(202)
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<RunView> cancel(String id) {
        return runs.cancel(id).map(RunView::of);
    }

    /** Publishes what a run held by its audience's guard rail staged; 409 unless it is awaiting approval. */
    @POST
    @Path("/{id}/approve")
    @ResponseStatus(202)
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<RunView> approve(String id) {
        return runs.approve(id, identity.getPrincipal().getName()).map(RunView::of);
    }

    /** Ends a held run without publishing or promoting; 409 unless it is awaiting approval. */
    @POST
    @Path("/{id}/discard")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<RunView> discard(String id) {
        return runs.discard(id, identity.getPrincipal().getName()).map(RunView::of);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<RunView> get(String id) {
        return runs.get(id).map(RunView::of);
    }
}
