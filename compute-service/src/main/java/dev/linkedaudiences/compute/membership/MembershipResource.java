package dev.linkedaudiences.compute.membership;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code /api/v1/memberships}: an audience's members as of its last successful run, and one member's
 * matched entities (the Entity Explorer), read from the snapshot in the warehouse.
 */
@Path("/api/v1/memberships")
@RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
public class MembershipResource {
    private final WarehouseGateway warehouse;
    private final JsonText json;

    public MembershipResource(WarehouseGateway warehouse, JsonText json) {
        this.warehouse = warehouse;
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
        return audience(audienceId).flatMap(audience -> read(reader -> reader.members(audience.id, after, size + 1)))
                .map(rows -> Page.of(rows, size, MemberView::profileId, m -> m));
    }

    @GET
    @Path("/{audienceId}/profiles/{profileId}")
    @WithSession
    public Uni<MemberEntities> member(String audienceId, String profileId) {
        return audience(audienceId).flatMap(audience -> read(reader -> {
            if (!reader.isMember(audience.id, profileId)) {
                throw ApiException.notFound("profile " + profileId + " in audience " + audience.key);
            }
            return new MemberEntities(audience.id, profileId,
                    reader.matchedEntities(audience.id, profileId, json.read(audience.dataGraph, DataGraph.class)));
        }));
    }

    private Uni<AudienceState> audience(String audienceId) {
        if (audienceId == null || audienceId.isBlank()) {
            return Uni.createFrom().failure(ApiException.invalid("/audienceId", "audienceId is required"));
        }
        return AudienceState.<AudienceState>findById(audienceId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("audience " + audienceId));
    }

    private interface Read<T> {
        T from(MembershipReader reader) throws Exception;
    }

    /** Warehouse reads run on a worker thread; the answer comes back on the request's context. */
    private <T> Uni<T> read(Read<T> read) {
        return VertxContextSupport.executeBlocking(() -> {
            try (Connection c = warehouse.connection()) {
                return read.from(new MembershipReader(c, warehouse.dialect(), warehouse.snapshotSchema()));
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) {
                    throw ApiException.notFound("a snapshot (no audience has run yet)");
                }
                throw ApiException.unavailable("the warehouse is unreachable: " + e.getMessage());
            }
        });
    }
}
