package dev.linkedaudiences.compute.membership;

import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.api.Page;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.sql.SQLException;
import java.util.List;

/**
 * {@code /api/v1/memberships}: an audience's members as of its last successful run, and one member's
 * matched entities (the Entity Explorer), read from the snapshot in the warehouse.
 */
@Path("/api/v1/memberships")
@RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
public class MembershipResource {
    private final MembershipReader reader;
    private final JsonText json;

    public MembershipResource(MembershipReader reader, JsonText json) {
        this.reader = reader;
        this.json = json;
    }

    /** One member and the entities that let it qualify. */
    public record MemberEntities(String audienceId, String profileId, List<MatchedNode> matchedEntities) {
    }

    @GET
    @WithSession
    public Uni<Page<MemberView>> members(@QueryParam("audienceId") String audienceId, @QueryParam("limit") String limit,
                                         @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        String after = Page.decode(cursor);
        return audience(audienceId).flatMap(audience -> read(() -> reader.members(audience.id, after, size + 1)))
                .map(rows -> Page.of(rows, size, MemberView::profileId, m -> m));
    }

    @GET
    @Path("/{audienceId}/profiles/{profileId}")
    @WithSession
    public Uni<MemberEntities> member(String audienceId, String profileId) {
        return audience(audienceId).flatMap(audience -> read(() -> reader.matchedEntities(audience.id, profileId,
                        json.read(audience.dataGraph, DataGraph.class)))
                .map(entities -> new MemberEntities(audience.id, profileId, entities.orElseThrow(
                        () -> ApiException.notFound("profile " + profileId + " in audience " + audience.key)))));
    }

    private Uni<AudienceState> audience(String audienceId) {
        if (audienceId == null || audienceId.isBlank()) {
            return Uni.createFrom().failure(ApiException.invalid("/audienceId", "audienceId is required"));
        }
        return AudienceState.<AudienceState>findById(audienceId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("audience " + audienceId));
    }

    private interface Read<T> {
        T read() throws SQLException;
    }

    /** Warehouse reads run on a worker thread; the answer comes back on the request's context. */
    private static <T> Uni<T> read(Read<T> read) {
        return VertxContextSupport.executeBlocking(() -> {
            try {
                return read.read();
            } catch (SQLException e) {
                throw ApiException.unavailable("the warehouse is unreachable: " + e.getMessage());
            }
        });
    }
}
