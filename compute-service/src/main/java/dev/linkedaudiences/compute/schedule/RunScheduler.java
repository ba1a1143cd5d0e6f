package dev.linkedaudiences.compute.schedule;

import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.compute.run.RunRecord;
import dev.linkedaudiences.contracts.JsonText;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * Queues the scheduled runs that are due. Due audiences are locked with SKIP LOCKED, and the run is queued
 * and the next fire time stored in the same transaction, so with several instances each fire queues one
 * run, and a restart loses none: a fire time that passed while the service was down is still due.
 * A run is queued at or after its time, never before; the tick interval bounds how late.
 */
@ApplicationScoped
public class RunScheduler {
    private final JsonText json;

    public RunScheduler(JsonText json) {
        this.json = json;
    }

    @Scheduled(every = "${compute.schedule-tick:15s}", delayed = "2s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> queueDueRuns() {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery("SELECT * FROM audience_state WHERE enabled AND next_run_at <= :now"
                                + " ORDER BY next_run_at FOR UPDATE SKIP LOCKED", AudienceState.class)
                        .setParameter("now", now)
                        .getResultList()
                        .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(audience -> session
                                        .createNativeQuery("INSERT INTO run (id, audience_id, status, trigger, queued_at) VALUES (:id, :audience, 'queued', 'schedule', :now)"
                                                + " ON CONFLICT (audience_id) WHERE status IN " + RunRecord.IN_FLIGHT + " DO NOTHING")
                                        .setParameter("id", UUID.randomUUID().toString())
                                        .setParameter("audience", audience.id)
                                        .setParameter("now", now)
                                        .executeUpdate()
                                        .invoke(() -> audience.nextRunAt = Schedule.of(json.readObject(audience.schedule)).nextAfter(now).orElse(null)))
                                .collect().asList())))
                .onFailure().invoke(e -> Log.warnf("scheduled runs will be retried: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
