package dev.linkedaudiences.compute.audience;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.compute.UnprocessableRecords;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import dev.linkedaudiences.compute.schedule.Schedule;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/** Keeps {@link AudienceState} in step with audience-definitions; older announcements never overwrite newer ones. */
@ApplicationScoped
public class AudienceDefinitionsConsumer {
    private final JsonText json;

    public AudienceDefinitionsConsumer(JsonText json) {
        this.json = json;
    }

    @Incoming(Topics.AUDIENCE_DEFINITIONS)
    public Uni<Void> consume(AudienceChanged change) {
        return UnprocessableRecords.process(Topics.AUDIENCE_DEFINITIONS, change, AudienceChanged::audienceId, this::store);
    }

    private Uni<Void> store(AudienceChanged change) {
        return Panache.withTransaction(() -> AudienceState.<AudienceState>findById(change.audienceId()).flatMap(existing -> {
            if (change.deleted()) {
                return existing == null ? Uni.createFrom().voidItem() : existing.delete();
            }
            if (existing != null && existing.changedAt.isAfter(change.changedAt())) {
                return Uni.createFrom().voidItem();
            }
            AudienceState state = existing != null ? existing : new AudienceState();
            String schedule = json.write(change.schedule());
            boolean sameSchedule = existing != null && existing.enabled && schedule.equals(existing.schedule);
            if (!change.enabled()) {
                state.nextRunAt = null;
            } else if (!sameSchedule || state.nextRunAt == null) {
                // keep a pending fire time when only the definition changed, so no scheduled run is skipped
                state.nextRunAt = Schedule.of(change.schedule()).nextAfter(Instant.now()).orElse(null);
            }
            state.id = change.audienceId();
            state.key = change.key();
            state.enabled = change.enabled();
            state.definition = json.write(change.definition());
            state.dataGraph = json.write(change.dataGraph());
            state.schedule = schedule;
            state.guardRail = change.guardRail() == null ? null : json.write(change.guardRail());
            state.changedAt = change.changedAt();
            return state.persist().replaceWithVoid();
        }));
    }
}
