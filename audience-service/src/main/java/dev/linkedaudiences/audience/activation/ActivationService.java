package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.audience.audience.AudienceRecord;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.audience.datagraph.DataGraphService;
import dev.linkedaudiences.audience.destination.DestinationRecord;
import dev.linkedaudiences.audience.destination.DestinationService;
import dev.linkedaudiences.audience.destination.DestinationType;
import dev.linkedaudiences.audience.outbox.Outbox;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.GuardRail;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.IdentifierStrategy;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.Relationship;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.input.TextRules;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/** Activations: which audience changes go to which destination action, and how the message is enriched. */
@ApplicationScoped
public class ActivationService {
    private final DestinationService destinations;
    private final DataGraphService graphs;
    private final Outbox outbox;
    private final JsonText json;

    public ActivationService(DestinationService destinations, DataGraphService graphs, Outbox outbox, JsonText json) {
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
        TextRules.requireAtMost(errors, "/eventName", request.eventName(), 200);
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
            } else if (request.action() == null || !DestinationType.of(d.type).orElseThrow().actions().contains(request.action())) {
                errors.add(new FieldError("/action", "action is one of " + DestinationType.of(d.type).orElseThrow().actions()));
            }
            enrichment(request, graph, errors);
            messageShape(request, errors);
            if (a != null) {
                relationships(request, DefinitionValidator.matchedRelationships(json.read(a.definition, AudienceDefinition.class)), errors);
            }
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ApiException.invalid(errors));
            }
            ActivationRecord activation = new ActivationRecord();
            activation.id = UUID.randomUUID().toString();
            activation.audienceId = a.id;
            activation.destinationId = d.id;
            activation.action = request.action();
            activation.trigger = request.trigger();
            activation.eventName = request.eventName() != null && !Triggers.IDENTIFY.equals(request.trigger())
                    ? request.eventName() : Triggers.DEFAULT_EVENT_NAMES.get(request.trigger());
            activation.relationship = request.relationship();
            activation.enrichment = json.write(request.enrichment() != null ? request.enrichment() : new ActivationChanged.Enrichment(List.of()));
            activation.maxEntitiesPerLevel = request.maxEntitiesPerLevel() != null ? request.maxEntitiesPerLevel()
                    : ActivationChanged.DEFAULT_MAX_ENTITIES_PER_LEVEL;
            activation.identifiers = request.identifiers() != null ? request.identifiers() : IdentifierStrategy.DEFAULT.value();
            activation.backfill = request.backfill() == null || request.backfill();
            activation.enabled = request.enabled() == null || request.enabled();
            activation.guardRail = request.guardRail() == null ? null : json.write(request.guardRail());
            activation.status = "valid";
            activation.createdAt = Instant.now();
            return activation.<ActivationRecord>persist()
                    .call(saved -> announce(saved, a, false))
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

    /** The Handlebars paths this activation's messages carry, and a sample payload. */
    @WithSession
    public Uni<PersonalizationPaths.Personalization> personalization(String id) {
        return find(id).flatMap(activation -> AudienceRecord.<AudienceRecord>findById(activation.audienceId).flatMap(audience ->
                graphs.current().map(graph -> PersonalizationPaths.of(graph, audience.key,
                        json.read(activation.enrichment, ActivationChanged.Enrichment.class),
                        activation.relationship == null ? null : graph.relationship(activation.relationship).orElse(null)))));
    }

    @WithTransaction
    public Uni<Void> delete(String id) {
        return find(id).flatMap(activation -> AudienceRecord.<AudienceRecord>findById(activation.audienceId)
                .flatMap(a -> announce(activation, a, true)).call(activation::delete));
    }

    /**
     * After the audience's definition changed: an activation naming a relationship the definition no longer matches
     * (the one an entity trigger watches, those a profile trigger enriches) becomes {@code invalid} with the reason
     * (and is skipped), and valid again once they are all matched again.
     */
    public Uni<Void> revalidate(AudienceRecord audience, AudienceDefinition definition) {
        Set<String> matched = DefinitionValidator.matchedRelationships(definition);
        return ActivationRecord.<ActivationRecord>list("audienceId", audience.id)
                .flatMap(activations -> io.smallrye.mutiny.Multi.createFrom().iterable(activations)
                        .onItem().transformToUniAndConcatenate(activation -> {
                            List<String> unmatched = namedRelationships(activation.relationship,
                                    json.read(activation.enrichment, ActivationChanged.Enrichment.class))
                                    .stream().filter(slug -> !matched.contains(slug)).toList();
                            boolean valid = unmatched.isEmpty();
                            String reason = valid ? null : "the audience definition no longer matches entities of relationship"
                                    + (unmatched.size() == 1 ? " " : "s ") + unmatched.stream().map(slug -> "'" + slug + "'").collect(Collectors.joining(", "));
                            if (valid == "valid".equals(activation.status)) {
                                return Uni.createFrom().voidItem();
                            }
                            activation.status = valid ? "valid" : "invalid";
                            activation.invalidReason = reason;
                            return announce(activation, audience, false);
                        })
                        .collect().last().replaceWithVoid());
    }

    /** Announces again every activation of a destination whose settings changed, so delivery-service sends with the new ones. */
    public Uni<Void> announceUsersOf(String destinationId) {
        return ActivationRecord.<ActivationRecord>list("destinationId", destinationId)
                .flatMap(activations -> io.smallrye.mutiny.Multi.createFrom().iterable(activations)
                        .onItem().transformToUniAndConcatenate(activation -> AudienceRecord.<AudienceRecord>findById(activation.audienceId)
                                .flatMap(audience -> announce(activation, audience, false)))
                        .collect().last().replaceWithVoid());
    }

    private Uni<Void> announce(ActivationRecord activation, AudienceRecord audience, boolean deleted) {
        return destinations.find(activation.destinationId)
                .flatMap(d -> outbox.add(Topics.ACTIVATION_DEFINITIONS, activation.id, changed(activation, audience, d, deleted)));
    }

    /**
     * The relationships an activation names are ones the audience matches entities of: an entity trigger watches one
     * (profile triggers watch none), and a profile trigger may enrich its messages with some (checked in
     * {@link #enrichment}: only profile triggers do).
     */
    private static void relationships(ActivationRequest request, Set<String> matched, List<FieldError> errors) {
        String oneOf = "one of " + new TreeSet<>(matched);
        if (!Triggers.watchesEntities(request.trigger())) {
            if (request.relationship() != null) {
                errors.add(new FieldError("/relationship", "only entity triggers take a relationship"));
            }
        } else if (request.relationship() == null || !matched.contains(request.relationship())) {
            errors.add(new FieldError("/relationship", "an entity trigger names a relationship the audience matches entities of: " + oneOf));
        }
        if (Triggers.enrichesRelationships(request.trigger()) && request.enrichment() != null) {
            List<String> enriched = request.enrichment().relationshipsOrEmpty();
            for (int i = 0; i < enriched.size(); i++) {
                if (!matched.contains(enriched.get(i))) {
                    errors.add(new FieldError("/enrichment/relationships/" + i, "'" + enriched.get(i)
                            + "' is not a relationship the audience matches entities of: " + oneOf));
                }
            }
        }
    }

    /** The relationships whose matched entities an activation's messages show: the watched one, or the enriched ones. */
    private static List<String> namedRelationships(String watched, ActivationChanged.Enrichment enrichment) {
        List<String> named = new ArrayList<>(enrichment == null ? List.of() : enrichment.relationshipsOrEmpty());
        if (watched != null) {
            named.add(watched);
        }
        return named;
    }

    private Uni<ActivationRecord> find(String id) {
        return ActivationRecord.<ActivationRecord>findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("activation " + id));
    }

    private static void enrichment(ActivationRequest request, DataGraph graph, List<FieldError> errors) {
        ActivationChanged.Enrichment enrichment = request.enrichment();
        if (enrichment == null) {
            return;
        }
        List<String> traits = enrichment.traitsOrEmpty();
        for (int i = 0; i < traits.size(); i++) {
            if (graph.columnType(graph.profile().traitsTableOrDefault(), traits.get(i)).isEmpty()) {
                errors.add(new FieldError("/enrichment/traits/" + i, "unknown trait '" + traits.get(i) + "'"));
            }
        }
        if (!enrichment.relationshipsOrEmpty().isEmpty() && !Triggers.enrichesRelationships(request.trigger())) {
            errors.add(new FieldError("/enrichment/relationships", "only profile_entered and profile_exited messages carry enriched relationships"));
        }
        propertyNames(traits, enrichment.relationshipsOrEmpty(), errors);
        entityColumns(request, graph, errors);
    }

    /**
     * Enriched traits and enriched relationships are top-level message properties named by trait and by slug,
     * beside {@code audience_key}: two of the same name would overwrite each other in the message.
     */
    private static void propertyNames(List<String> traits, List<String> relationships, List<FieldError> errors) {
        for (int i = 0; i < traits.size(); i++) {
            if (ActivationEvent.AUDIENCE_KEY_PROPERTY.equals(traits.get(i))) {
                errors.add(new FieldError("/enrichment/traits/" + i, "'" + ActivationEvent.AUDIENCE_KEY_PROPERTY
                        + "' is a property every message has already; a trait of that name cannot be enriched"));
            }
        }
        for (int i = 0; i < relationships.size(); i++) {
            if (traits.contains(relationships.get(i))) {
                errors.add(new FieldError("/enrichment/relationships/" + i, "'" + relationships.get(i)
                        + "' is also an enriched trait: both would be the message property of that name"));
            }
        }
    }

    /**
     * A column selection names relationships whose entities the messages show (the watched or the enriched
     * relationships and those below them, so only entity triggers and profile triggers that enrich relationships
     * take one) and columns their entity tables have.
     */
    private static void entityColumns(ActivationRequest request, DataGraph graph, List<FieldError> errors) {
        Map<String, List<String>> selection = request.enrichment().entityColumnsOrEmpty();
        if (selection.isEmpty()) {
            return;
        }
        boolean enriches = Triggers.enrichesRelationships(request.trigger()) && !request.enrichment().relationshipsOrEmpty().isEmpty();
        if (!Triggers.watchesEntities(request.trigger()) && !enriches) {
            errors.add(new FieldError("/enrichment/entityColumns",
                    "only the messages of entity triggers, and of profile triggers that enrich relationships, carry entity columns"));
            return;
        }
        Set<String> shown = new TreeSet<>();
        namedRelationships(request.relationship(), request.enrichment()).stream().map(graph::relationship).flatMap(Optional::stream)
                .forEach(relationship -> collectSlugs(relationship, shown));
        selection.forEach((slug, columns) -> {
            String at = "/enrichment/entityColumns/" + slug.replace("~", "~0").replace("/", "~1");
            Optional<Relationship> relationship = graph.relationship(slug);
            if (relationship.isEmpty()) {
                errors.add(new FieldError(at, "unknown relationship '" + slug + "'"));
            } else if (!shown.isEmpty() && !shown.contains(slug)) {
                errors.add(new FieldError(at, "the messages show entities of " + shown + " only"));
            } else if (columns == null) {
                errors.add(new FieldError(at, "a list of column names"));
            } else {
                String table = graph.entity(relationship.get().entity()).orElseThrow().table();
                for (int i = 0; i < columns.size(); i++) {
                    if (graph.columnType(table, columns.get(i)).isEmpty()) {
                        errors.add(new FieldError(at + "/" + i, "unknown column '" + columns.get(i) + "' of " + table));
                    }
                }
            }
        });
    }

    private static void collectSlugs(Relationship relationship, Set<String> into) {
        into.add(relationship.slug());
        relationship.relationshipsOrEmpty().forEach(child -> collectSlugs(child, into));
    }

    private static void messageShape(ActivationRequest request, List<FieldError> errors) {
        Integer max = request.maxEntitiesPerLevel();
        if (max != null && (max < 1 || max > ActivationChanged.MAX_ENTITIES_PER_LEVEL)) {
            errors.add(new FieldError("/maxEntitiesPerLevel", "maxEntitiesPerLevel is between 1 and " + ActivationChanged.MAX_ENTITIES_PER_LEVEL));
        }
        if (request.identifiers() != null && IdentifierStrategy.of(request.identifiers()).isEmpty()) {
            errors.add(new FieldError("/identifiers", "identifiers is one of " + IdentifierStrategy.allValues()));
        }
        if (request.guardRail() != null) {
            errors.addAll(request.guardRail().problems("/guardRail"));
        }
    }

    private ActivationChanged changed(ActivationRecord activation, AudienceRecord audience, DestinationRecord destination, boolean deleted) {
        // microseconds, as both databases keep it, so that compute-service compares what run requests name exactly
        activation.announcedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return new ActivationChanged(activation.id, audience.id, audience.key, activation.trigger, activation.eventName,
                activation.relationship, json.read(activation.enrichment, ActivationChanged.Enrichment.class),
                activation.maxEntitiesPerLevel, activation.identifiers, activation.backfill,
                activation.enabled, activation.status, deleted,
                new ActivationChanged.Destination(destination.id, destination.type, activation.action,
                        destinations.settingsForDelivery(destination)), activation.announcedAt, guardRail(activation));
    }

    private ActivationView view(ActivationRecord a) {
        return new ActivationView(a.id, a.audienceId, a.destinationId, a.action, a.trigger, a.eventName, a.relationship,
                json.read(a.enrichment, ActivationChanged.Enrichment.class), a.maxEntitiesPerLevel, a.identifiers, a.backfill,
                a.enabled, a.status, a.invalidReason, guardRail(a), a.createdAt);
    }

    private GuardRail guardRail(ActivationRecord a) {
        return a.guardRail == null ? null : json.read(a.guardRail, GuardRail.class);
    }
}
