package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.audience.audience.AudienceEvents;
import dev.linkedaudiences.audience.audience.AudienceRecord;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Saves the data graph once it checks out against the warehouse, and republishes audiences compiled with it. */
@ApplicationScoped
public class DataGraphService {
    private final WarehouseCatalog catalog;
    private final AudienceEvents audienceEvents;
    private final JsonText json;

    public DataGraphService(WarehouseCatalog catalog, AudienceEvents audienceEvents, JsonText json) {
        this.catalog = catalog;
        this.audienceEvents = audienceEvents;
        this.json = json;
    }

    /** The current graph, or a 404 problem before one was saved. */
    @WithSession
    public Uni<DataGraph> current() {
        return DataGraphRecord.<DataGraphRecord>findById(DataGraphRecord.THE_GRAPH)
                .onItem().ifNull().failWith(() -> ApiException.notFound("the data graph (PUT one first)"))
                .map(record -> json.read(record.body, DataGraph.class));
    }

    /** The current graph, for checking a request against it: its absence is a 400 at {@code pointer}. */
    public Uni<DataGraph> currentFor(String pointer) {
        return current().onFailure(ApiException.class)
                .transform(e -> ApiException.invalid(pointer, "no data graph yet: PUT /api/v1/data-graph first"));
    }

    /** Checks the graph against the warehouse catalog, asked of compute-service with the caller's token, and saves it. */
    public Uni<DataGraph> replace(DataGraph graph, String authorization) {
        return catalog.describeSchemas(DataGraphValidator.schemasOf(graph), authorization, (schema, message) ->
                ApiException.invalid(DataGraphValidator.pointerNaming(graph, schema), message)).flatMap(tables -> {
            List<FieldError> errors = DataGraphValidator.validate(graph, tables);
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ApiException.invalid(errors));
            }
            return save(graph.withCatalog(tables));
        });
    }

    /**
     * Saves the graph unless a saved audience would no longer be valid with it (a relationship, trait, column or
     * event it uses is gone): a 409 lists each such audience's problems, at pointers in its definition. The user
     * edits or deletes those audiences first, as with an audience that another one references.
     */
    private Uni<DataGraph> save(DataGraph graph) {
        return Panache.withTransaction(() -> AudienceRecord.<AudienceRecord>listAll()
                .invoke(audiences -> requireAudiencesStillValid(graph, audiences))
                .flatMap(audiences -> DataGraphRecord.<DataGraphRecord>findById(DataGraphRecord.THE_GRAPH))
                .flatMap(existing -> {
                    DataGraphRecord record = existing != null ? existing : new DataGraphRecord();
                    record.id = DataGraphRecord.THE_GRAPH;
                    record.body = json.write(graph);
                    record.updatedAt = Instant.now();
                    return record.<DataGraphRecord>persist();
                })
                .flatMap(saved -> audienceEvents.republishAll(graph))
                .replaceWith(graph));
    }

    private void requireAudiencesStillValid(DataGraph graph, List<AudienceRecord> audiences) {
        Map<String, AudienceDefinition> definitions = new TreeMap<>();
        audiences.forEach(a -> definitions.put(a.key, json.read(a.definition, AudienceDefinition.class)));
        List<String> broken = new ArrayList<>();
        List<FieldError> problems = new ArrayList<>();
        definitions.forEach((key, definition) -> {
            Map<String, AudienceDefinition> others = new TreeMap<>(definitions);
            others.remove(key);
            List<FieldError> errors = DefinitionValidator.validate(definition, "/definition", graph, key, others);
            if (!errors.isEmpty()) {
                broken.add(key);
                errors.forEach(e -> problems.add(new FieldError(e.pointer(), "audience " + key + ": " + e.message())));
            }
        });
        if (!broken.isEmpty()) {
            throw new ApiException(409, "Conflict", "saved audiences " + broken
                    + " use what this data graph no longer has; edit or delete them first", problems);
        }
    }

}
