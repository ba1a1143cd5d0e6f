package dev.linkedaudiences.compute.activation;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.compute.UnprocessableRecords;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps {@link ActivationState} in step with activation-definitions. */
@ApplicationScoped
public class ActivationDefinitionsConsumer {
    private final JsonText json;

    public ActivationDefinitionsConsumer(JsonText json) {
        this.json = json;
    }

    @Incoming(Topics.ACTIVATION_DEFINITIONS)
    public Uni<Void> consume(ActivationChanged change) {
        return UnprocessableRecords.process(Topics.ACTIVATION_DEFINITIONS, change, ActivationChanged::activationId, this::store);
    }

    private Uni<Void> store(ActivationChanged change) {
        return Panache.withTransaction(() -> ActivationState.<ActivationState>findById(change.activationId()).flatMap(existing -> {
            if (change.deleted()) {
                return existing == null ? Uni.createFrom().voidItem() : existing.delete();
            }
            if (existing != null && existing.changedAt.isAfter(change.changedAt())) {
                return Uni.createFrom().voidItem();
            }
            ActivationState state = existing != null ? existing : new ActivationState();
            state.id = change.activationId();
            state.audienceId = change.audienceId();
            state.trigger = change.trigger();
            state.eventName = change.eventName();
            state.relationship = change.relationship();
            state.enrichment = json.write(change.enrichment());
            state.maxEntitiesPerLevel = change.maxEntitiesPerLevelOrDefault();
            state.guardRail = change.guardRail() == null ? null : json.write(change.guardRail());
            state.identifiers = change.identifiersOrDefault();
            state.backfill = change.backfill();
            state.enabled = change.enabled();
            state.status = change.status();
            state.changedAt = change.changedAt();
            return state.persist().replaceWithVoid();
        }));
    }
}
