package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.RunCompleted;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes each finished run on run-results. The run row is its own outbox: the result is sent after the
 * run's state is committed, and the row is marked published once Kafka acknowledged it.
 */
@ApplicationScoped
public class RunResultRelay {
    private final MutinyEmitter<RunCompleted> runResults;

    public RunResultRelay(@Channel(Topics.RUN_RESULTS) MutinyEmitter<RunCompleted> runResults) {
        this.runResults = runResults;
    }

    @Scheduled(every = "${compute.poll-interval:1s}", delayed = "2s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery("SELECT * FROM run WHERE result_published = FALSE AND finished_at IS NOT NULL"
                                + " ORDER BY finished_at LIMIT 100 FOR UPDATE SKIP LOCKED", RunRecord.class)
                        .getResultList())
                        .flatMap(finished -> Multi.createFrom().iterable(finished)
                                .onItem().transformToUniAndConcatenate(this::publish)
                                .collect().last()))
                .onFailure().invoke(e -> Log.warnf("run results will be retried: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> publish(RunRecord run) {
        return AudienceState.<AudienceState>findById(run.audienceId).flatMap(audience -> runResults.sendMessage(
                        Message.of(new RunCompleted(run.id, run.audienceId, audience == null ? null : audience.key, run.status,
                                run.audienceSize, run.profilesEntered, run.profilesExited, run.error, run.startedAt, run.finishedAt))
                                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(run.audienceId).build())))
                .invoke(() -> run.resultPublished = true);
    }
}
