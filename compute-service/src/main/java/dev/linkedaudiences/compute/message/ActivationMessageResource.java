package dev.linkedaudiences.compute.message;

import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.compute.snapshot.EntityContext;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.ProfileFields;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.api.ActivationMessageRequest;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.Relationship;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/activation-messages}: the message an activation would send for one profile now, built
 * from the warehouse and the audience's last successful run exactly as a run builds it (a profile trigger's
 * enriched relationships hold the profile's matched entities of that run). delivery-service's test events send it. Its messageId comes from a run id of its own, so it never collides with a real event's.
 * Under {@code each_email} it is the message of the profile's smallest email. A message over 32 KB comes back
 * filtered at source ({@code payload_too_large}) but whole, unlike on Kafka, so that whoever tests it sees what
 * made it too large; delivery-service then does not send it.
 */
@Path("/api/v1/activation-messages")
public class ActivationMessageResource {
    private final WarehouseGateway warehouse;
    private final JsonText json;

    public ActivationMessageResource(WarehouseGateway warehouse, JsonText json) {
        this.warehouse = warehouse;
        this.json = json;
    }

    @POST
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<ActivationEvent> build(ActivationMessageRequest request) {
        List<FieldError> errors = ApiException.requireBody(request).problems();
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return Panache.withSession(() -> ActivationState.<ActivationState>findById(request.activationId())
                .flatMap(activation -> {
                    if (activation == null) {
                        return Uni.createFrom().failure(ApiException.notFound("activation " + request.activationId()));
                    }
                    return AudienceState.<AudienceState>findById(activation.audienceId).map(audience -> {
                        if (audience == null || audience.dataGraph == null) {
                            throw ApiException.notFound("the audience of activation " + activation.id);
                        }
                        return new Object[]{activation, audience};
                    });
                }))
                .flatMap(found -> VertxContextSupport.executeBlocking(() ->
                        message((ActivationState) found[0], (AudienceState) found[1], request.profileId())));
    }

    private ActivationEvent message(ActivationState a, AudienceState audience, String profileId) {
        DataGraph graph = json.read(audience.dataGraph, DataGraph.class);
        ActivationChanged.Enrichment enrichment = json.read(a.enrichment, ActivationChanged.Enrichment.class);
        Dialect dialect = warehouse.dialect();
        ActivationMessages.RunContext run = new ActivationMessages.RunContext("test-" + UUID.randomUUID(), Instant.now(), audience.id, audience.key);
        ActivationMessages.Activation activation = ActivationMessages.Activation.of(a, enrichment);
        try (WarehouseSession c = warehouse.session()) {
            MembershipSnapshots snapshots = new MembershipSnapshots(c, dialect, warehouse.snapshotSchema());
            ProfileChange profile = snapshots.profile(profileId, graph, ProfileFields.traits(activation.traits()))
                    .orElseThrow(() -> ApiException.notFound("profile " + profileId + " in the warehouse"));
            EntityContext baseline = new EntityContext(c, dialect, graph, snapshots.matchedTable(false), a.maxEntitiesPerLevel, enrichment);
            List<ActivationEvent> messages = switch (a.trigger) {
                case "membership_changed" -> ActivationMessages.identifies(run, activation, profile, snapshots.isMember(audience.id, profileId));
                case "entity_entered", "entity_exited" -> {
                    Relationship relationship = relationship(graph, a.relationship);
                    String entityKey = snapshots.firstMatchedEntity(audience.id, profileId, a.relationship).orElseThrow(
                            () -> ApiException.notFound("a matched '" + a.relationship + "' entity of profile " + profileId
                                    + " in the audience's last successful run"));
                    yield ActivationMessages.events(run, activation, profile, entityKey,
                            baseline.properties(audience.id, profileId, relationship, entityKey));
                }
                default -> {
                    List<Relationship> enriched = enrichment.relationshipsOrEmpty().stream().map(slug -> relationship(graph, slug)).toList();
                    yield ActivationMessages.events(run, activation, profile, null, baseline.enrichedRelationships(audience.id, profileId, enriched));
                }
            };
            return messages.get(0);
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse could not build the message: " + e.getMessage());
        }
    }

    private static Relationship relationship(DataGraph graph, String slug) {
        return graph.relationship(slug).orElseThrow(() -> ApiException.conflict("the data graph no longer has relationship '" + slug + "'"));
    }
}
