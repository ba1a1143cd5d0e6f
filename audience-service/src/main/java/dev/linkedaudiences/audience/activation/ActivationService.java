package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.audience.JsonText;
import dev.linkedaudiences.audience.audience.AudienceRecord;
import dev.linkedaudiences.audience.audience.AudienceService;
import dev.linkedaudiences.audience.datagraph.DataGraphService;
import dev.linkedaudiences.audience.destination.DestinationRecord;
import dev.linkedaudiences.audience.destination.DestinationService;
import dev.linkedaudiences.audience.destination.DestinationType;
import dev.linkedaudiences.audience.outbox.Outbox;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Activations: which audience changes go to which destination action, and how the message is enriched. */
@ApplicationScoped
public class ActivationService {
    private final AudienceService audiences;
    private final DestinationService destinations;
    private final DataGraphService graphs;
    private final Outbox outbox;
    private final JsonText json;

    public ActivationService(AudienceService audiences, DestinationService destinations, DataGraphService graphs,
                             Outbox outbox, JsonText json) {
        this.audiences = audiences;
        this.destinations = destinations;
        this.graphs = graphs;
        this.outbox = outbox;
        this.json = json;
    }

    @WithTransaction
    public Uni<ActivationView> create(ActivationRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.trigger() == null || !Triggers.DEFAULT_EVENT_NAMES.containsKey(request.trigger())) {
            errors.add(new FieldError("/trigger", "trigger is one of " + Triggers.DEFAULT_EVENT_NAMES.keySet()));
        }
        Uni<AudienceRecord> audience = request.audienceId() == null ? Uni.createFrom().nullItem()
                : AudienceRecord.findById(request.audienceId());
        Uni<DestinationRecord> destination = request.destinationId() == null ? Uni.createFrom().nullItem()
                : DestinationRecord.findById(request.destinationId());
        return audience.flatMap(a -> destination.flatMap(d -> graphs.currentFor("/enrichment").flatMap(graph -> {
            if (a == null) {
                errors.add(new FieldError("/audienceId", "unknown audience '" + request.audienceId() + "'"));
            }
            if (d == null) {
                errors.add(new FieldError("/destinationId", "unknown destination '" + request.destinationId() + "'"));
            } else if (!DestinationType.of(d.type).orElseThrow().actions().contains(request.action())) {
                errors.add(new FieldError("/action", "action is one of " + DestinationType.of(d.type).orElseThrow().actions()));
            }
            enrichment(request.enrichment(), graph, errors);
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ApiException.invalid(errors));
            }
            ActivationRecord activation = new ActivationRecord();
            activation.id = UUID.randomUUID().toString();
            activation.audienceId = a.id;
            activation.destinationId = d.id;
            activation.action = request.action();
            activation.trigger = request.trigger();
            activation.eventName = request.eventName() != null ? request.eventName() : Triggers.DEFAULT_EVENT_NAMES.get(request.trigger());
            activation.enrichment = json.write(request.enrichment() != null ? request.enrichment() : new ActivationChanged.Enrichment(List.of()));
            activation.backfill = request.backfill() == null || request.backfill();
            activation.enabled = request.enabled() == null || request.enabled();
            activation.status = "valid";
            activation.createdAt = Instant.now();
            return activation.<ActivationRecord>persist()
                    .call(saved -> outbox.add(Topics.ACTIVATION_DEFINITIONS, saved.id, changed(saved, a, d, false)))
                    .map(this::view);
        })));
    }

    @WithSession
    public Uni<List<ActivationView>> list(String audienceId) {
        return (audienceId == null ? ActivationRecord.<ActivationRecord>find("order by createdAt")
                : ActivationRecord.<ActivationRecord>find("audienceId = ?1 order by createdAt", audienceId))
                .list().map(all -> all.stream().map(this::view).toList());
    }

    @WithSession
    public Uni<ActivationView> get(String id) {
        return find(id).map(this::view);
    }

    @WithTransaction
    public Uni<Void> delete(String id) {
        return find(id).flatMap(activation -> audiences.find(activation.audienceId).flatMap(a -> destinations.find(activation.destinationId)
                .flatMap(d -> outbox.add(Topics.ACTIVATION_DEFINITIONS, activation.id, changed(activation, a, d, true)))
                .call(activation::delete)));
    }

    private Uni<ActivationRecord> find(String id) {
        return ActivationRecord.<ActivationRecord>findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("activation " + id));
    }

    private static void enrichment(ActivationChanged.Enrichment enrichment, DataGraph graph, List<FieldError> errors) {
        if (enrichment == null) {
            return;
        }
        List<String> traits = enrichment.traitsOrEmpty();
        for (int i = 0; i < traits.size(); i++) {
            if (graph.columnType(graph.profile().traitsTableOrDefault(), traits.get(i)).isEmpty()) {
                errors.add(new FieldError("/enrichment/traits/" + i, "unknown trait '" + traits.get(i) + "'"));
            }
        }
    }

    private ActivationChanged changed(ActivationRecord activation, AudienceRecord audience, DestinationRecord destination, boolean deleted) {
        return new ActivationChanged(activation.id, audience.id, audience.key, activation.trigger, activation.eventName,
                json.read(activation.enrichment, ActivationChanged.Enrichment.class), activation.backfill,
                activation.enabled, activation.status, deleted,
                new ActivationChanged.Destination(destination.id, destination.type, activation.action,
                        destinations.settingsWithSecrets(destination)), Instant.now());
    }

    private ActivationView view(ActivationRecord a) {
        return new ActivationView(a.id, a.audienceId, a.destinationId, a.action, a.trigger, a.eventName,
                json.read(a.enrichment, ActivationChanged.Enrichment.class), a.backfill, a.enabled, a.status,
                a.invalidReason, a.createdAt);
    }
}
