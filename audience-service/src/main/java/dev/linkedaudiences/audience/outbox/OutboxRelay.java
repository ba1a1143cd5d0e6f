package dev.linkedaudiences.audience.outbox;

import dev.linkedaudiences.contracts.Topics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.Map;

/**
 * Sends outbox records to Kafka in id order and deletes them once the broker acknowledged them: a relayed row has
 * nothing left to do, and an activation's row holds its destination's settings (secrets sealed, but no copy is kept
 * longer than needed). Rows are locked with SKIP LOCKED, so several instances share the work; a crash between the
 * send and the commit re-sends a record, which consumers absorb (the definition topics are keyed and compacted).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final int BATCH = 200;
    private final Map<String, MutinyEmitter<String>> emitters;

    public OutboxRelay(@Channel(Topics.AUDIENCE_DEFINITIONS) MutinyEmitter<String> audienceDefinitions,
                       @Channel(Topics.ACTIVATION_DEFINITIONS) MutinyEmitter<String> activationDefinitions,
                       @Channel(Topics.RUN_REQUESTS) MutinyEmitter<String> runRequests) {
        this.emitters = Map.of(Topics.AUDIENCE_DEFINITIONS, audienceDefinitions,
                Topics.ACTIVATION_DEFINITIONS, activationDefinitions,
                Topics.RUN_REQUESTS, runRequests);
    }

    @Scheduled(every = "${outbox.poll-interval:1s}", delayed = "2s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT " + BATCH
                                + " FOR UPDATE SKIP LOCKED", OutboxRecord.class)
                        .getResultList())
                        .flatMap(this::sendInOrder))
                .onFailure().invoke(e -> io.quarkus.logging.Log.warnf("outbox relay will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> sendInOrder(List<OutboxRecord> records) {
        return Multi.createFrom().iterable(records)
                .onItem().transformToUniAndConcatenate(record -> emitters.get(record.topic)
                        .sendMessage(Message.of(record.payload).addMetadata(
                                OutgoingKafkaRecordMetadata.<String>builder().withKey(record.messageKey).build()))
                        .call(record::delete))
                .collect().last().replaceWithVoid();
    }
}
