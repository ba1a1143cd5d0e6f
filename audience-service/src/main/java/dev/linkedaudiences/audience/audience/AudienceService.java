package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.audience.activation.ActivationService;
import dev.linkedaudiences.audience.datagraph.DataGraphService;
import dev.linkedaudiences.contracts.api.Page;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.contracts.event.GuardRail;
import dev.linkedaudiences.contracts.graph.DataGraph;
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
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Audience lifecycle (product.md): created disabled, edited, cloned, enabled, disabled, deleted. */
@ApplicationScoped
public class AudienceService {
    private static final Pattern KEY = Pattern.compile("[a-z0-9_]{1,100}");
    private static final Map<String, Object> MANUAL = Map.of("type", "manual");

    private final DataGraphService graphs;
    private final AudienceEvents events;
    private final ActivationService activations;
    private final JsonText json;

    public AudienceService(DataGraphService graphs, AudienceEvents events, ActivationService activations, JsonText json) {
        this.graphs = graphs;
        this.events = events;
        this.activations = activations;
        this.json = json;
    }

    @WithSession
    public Uni<Page<AudienceView>> list(Integer limit, String cursor) {
        int size = Page.limit(limit);
        String after = Page.decode(cursor);
        return (after == null ? AudienceRecord.<AudienceRecord>find("order by key")
                : AudienceRecord.<AudienceRecord>find("key > ?1 order by key", after))
                .range(0, size).list()
                .map(rows -> Page.of(rows, size, a -> a.key, this::view));
    }

    @WithSession
    public Uni<AudienceView> get(String id) {
        return find(id).map(this::view);
    }

    @WithTransaction
    public Uni<AudienceView> create(AudienceRequest request) {
        List<FieldError> errors = new ArrayList<>();
        boolean wellFormed = request.key() != null && KEY.matcher(request.key()).matches();
        if (!wellFormed) {
            errors.add(new FieldError("/key", "key is 1 to 100 characters of [a-z0-9_]"));
        }
        Uni<Long> taken = wellFormed ? AudienceRecord.count("key", request.key()) : Uni.createFrom().item(0L);
        return taken.flatMap(count -> {
            if (count > 0) {
                errors.add(new FieldError("/key", "key '" + request.key() + "' is taken"));
            }
            return validated(request, request.key(), errors);
        }).flatMap(graph -> {
            AudienceRecord a = new AudienceRecord();
            a.id = UUID.randomUUID().toString();
            a.key = request.key();
            a.enabled = false;
            a.createdAt = Instant.now();
            return apply(a, request, graph);
        });
    }

    @WithTransaction
    public Uni<AudienceView> update(String id, AudienceRequest request) {
        return find(id).flatMap(a -> {
            List<FieldError> errors = new ArrayList<>();
            if (request.key() != null && !request.key().equals(a.key)) {
                errors.add(new FieldError("/key", "the key of an audience cannot change"));
            }
            return validated(request, a.key, errors).flatMap(graph -> apply(a, request, graph))
                    .call(() -> activations.revalidate(a, request.definition()));
        });
    }

    @WithTransaction
    public Uni<AudienceView> copy(String id) {
        return find(id).flatMap(original -> graphs.current().flatMap(graph -> {
            AudienceRecord a = new AudienceRecord();
            a.id = UUID.randomUUID().toString();
            a.key = original.key + "_copy_" + a.id.substring(0, 8);
            a.name = original.name + " (copy)";
            a.description = original.description;
            a.definition = original.definition;
            a.schedule = original.schedule;
            a.guardRail = original.guardRail;
            a.enabled = false;
            a.createdAt = Instant.now();
            a.updatedAt = a.createdAt;
            return a.<AudienceRecord>persist().call(saved -> events.changed(saved, graph)).map(this::view);
        }));
    }

    /** Enabling starts a run at once (product.md, "Audience lifecycle"). */
    @WithTransaction
    public Uni<AudienceView> enable(String id) {
        return setEnabled(id, true).call(a -> events.runRequested(a, "enable")).map(this::view);
    }

    @WithTransaction
    public Uni<AudienceView> disable(String id) {
        return setEnabled(id, false).map(this::view);
    }

    /** Deletes the audience and its activations; refused while another audience references it. */
    @WithTransaction
    public Uni<Void> delete(String id) {
        return find(id).flatMap(a -> AudienceRecord.<AudienceRecord>listAll().flatMap(all -> {
            Set<String> referencedBy = all.stream()
                    .filter(other -> DefinitionValidator.referencedAudiences(json.read(other.definition, AudienceDefinition.class)).contains(a.key))
                    .map(other -> other.key).collect(Collectors.toSet());
            if (!referencedBy.isEmpty()) {
                return Uni.createFrom().failure(ApiException.conflict("audience '" + a.key + "' is referenced by " + referencedBy));
            }
            return events.deleted(a).call(a::delete);
        }));
    }

    /** The audience, or a 404 problem. */
    private Uni<AudienceRecord> find(String id) {
        return AudienceRecord.<AudienceRecord>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("audience " + id));
    }

    private Uni<AudienceRecord> setEnabled(String id, boolean enabled) {
        return find(id).flatMap(a -> graphs.current().flatMap(graph -> {
            a.enabled = enabled;
            a.updatedAt = Instant.now();
            return events.changed(a, graph).replaceWith(a);
        }));
    }

    /**
     * Checks the request against the graph and the other audiences; answers the graph when all is well, else
     * fails with every problem, those already in {@code errors} included.
     */
    private Uni<DataGraph> validated(AudienceRequest request, String ownKey, List<FieldError> errors) {
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new FieldError("/name", "name is required"));
        }
        TextRules.requireAtMost(errors, "/name", request.name(), 200);
        if (request.schedule() != null) {
            errors.addAll(ScheduleValidator.validate(request.schedule(), "/schedule"));
        }
        if (request.guardRail() != null) {
            errors.addAll(request.guardRail().problems("/guardRail"));
        }
        return graphs.currentFor("/definition")
                .onFailure(ApiException.class).transform(noGraph -> {
                    errors.addAll(((ApiException) noGraph).errors());
                    return ApiException.invalid(errors);
                })
                .flatMap(graph -> AudienceRecord.<AudienceRecord>listAll().flatMap(all -> {
                    Map<String, AudienceDefinition> others = all.stream().filter(a -> !a.key.equals(ownKey))
                            .collect(Collectors.toMap(a -> a.key, a -> json.read(a.definition, AudienceDefinition.class)));
                    errors.addAll(DefinitionValidator.validate(request.definition(), "/definition", graph, ownKey, others));
                    return errors.isEmpty() ? Uni.createFrom().item(graph) : Uni.createFrom().failure(ApiException.invalid(errors));
                }));
    }

    private Uni<AudienceView> apply(AudienceRecord a, AudienceRequest request, DataGraph graph) {
        a.name = request.name();
        a.description = request.description();
        a.definition = json.write(request.definition());
        a.schedule = json.write(request.schedule() == null ? MANUAL : request.schedule());
        a.guardRail = request.guardRail() == null ? null : json.write(request.guardRail());
        a.updatedAt = Instant.now();
        return a.<AudienceRecord>persist().call(saved -> events.changed(saved, graph)).map(this::view);
    }

    AudienceView view(AudienceRecord a) {
        return new AudienceView(a.id, a.key, a.name, a.description, a.enabled,
                json.readObject(a.schedule),
                json.read(a.definition, AudienceDefinition.class), a.guardRail == null ? null : json.read(a.guardRail, GuardRail.class),
                a.createdAt, a.updatedAt);
    }
}
