package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.audience.activation.ActivationRecord;
import dev.linkedaudiences.audience.outbox.Outbox;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import dev.linkedaudiences.contracts.event.GuardRail;
import dev.linkedaudiences.contracts.event.RunRequested;
import dev.linkedaudiences.contracts.graph.DataGraph;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Announces audience changes and run requests through the outbox, inside the caller's transaction. */
@ApplicationScoped
public class AudienceEvents {
    private final Outbox outbox;
    private final JsonText json;

    public AudienceEvents(Outbox outbox, JsonText json) {
        this.outbox = outbox;
        this.json = json;
    }

    public Uni<Void> changed(AudienceRecord audience, DataGraph graph) {
        return outbox.add(Topics.AUDIENCE_DEFINITIONS, audience.id, new AudienceChanged(audience.id, audience.key,
                audience.name, audience.enabled, false, json.read(audience.definition, AudienceDefinition.class),
                json.readObject(audience.schedule), graph, Instant.now(),
                audience.guardRail == null ? null : json.read(audience.guardRail, GuardRail.class)));
    }

    public Uni<Void> deleted(AudienceRecord audience) {
        return outbox.add(Topics.AUDIENCE_DEFINITIONS, audience.id, new AudienceChanged(audience.id, audience.key,
                audience.name, false, true, null, null, null, Instant.now(), null));
    }

    /** A run request naming the audience's activations as last announced, which the run waits for. */
    public Uni<Void> runRequested(AudienceRecord audience, String trigger) {
        return ActivationRecord.<ActivationRecord>list("audienceId", audience.id).flatMap(activations -> {
            Map<String, Instant> announced = new TreeMap<>();
            activations.stream().filter(a -> a.announcedAt != null).forEach(a -> announced.put(a.id, a.announcedAt));
            return outbox.add(Topics.RUN_REQUESTS, audience.id, new RunRequested(audience.id, trigger, Instant.now(), announced));
        });
    }

    /** After the data graph changed: every audience is announced again with the new graph. */
    public Uni<Void> republishAll(DataGraph graph) {
        return AudienceRecord.<AudienceRecord>listAll().flatMap((List<AudienceRecord> all) -> Multi.createFrom().iterable(all)
                .onItem().transformToUniAndConcatenate(a -> changed(a, graph))
                .collect().last().replaceWithVoid());
    }
}
