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
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.Relationship;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builds the message an activation would send for one profile now, from the warehouse and the audience's last
 * successful run, as a run builds it (see {@link ActivationMessageResource}). Blocking: call it off the event loop.
 */
@ApplicationScoped
public class ProfileMessages {
    private final WarehouseGateway warehouse;
    private final JsonText json;

    public ProfileMessages(WarehouseGateway warehouse, JsonText json) {
        this.warehouse = warehouse;
        this.json = json;
    }

    /** The activation's message for the profile now; 404 when the warehouse or the last run lacks what it needs. */
    public ActivationEvent message(ActivationState a, AudienceState audience, String profileId) {
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
