package dev.linkedaudiences.delivery.outcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.DeliveryOutcome;
import dev.linkedaudiences.delivery.event.DeliveryEvent;
import dev.linkedaudiences.delivery.event.DeliveryStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.List;

/**
 * Publishes the final step of every event on delivery-outcomes, and failed events on activation-events-dlq.
 * The event row is the outbox: its {@code outcome_published} flag is set only after the broker acknowledged,
 * in the transaction that claimed the row, so a crash re-publishes (consumers key on message id and step)
 * instead of losing the outcome.
 */
@ApplicationScoped
public class OutcomeRelay {
    private static final int BATCH = 200;
    private static final String CLAIM_UNPUBLISHED = """
            select * from delivery_event
            where not outcome_published and status <> 'pending'
            order by seq
            limit :limit
            for update skip locked""";

    private final MutinyEmitter<DeliveryOutcome> outcomes;
    private final MutinyEmitter<ActivationEvent> deadLetters;
    private final ObjectMapper json;

    public OutcomeRelay(@Channel(Topics.DELIVERY_OUTCOMES) MutinyEmitter<DeliveryOutcome> outcomes,
                        @Channel(Topics.ACTIVATION_EVENTS_DLQ) MutinyEmitter<ActivationEvent> deadLetters,
                        ObjectMapper json) {
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Scheduled(every = "${delivery.outcome-interval}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(CLAIM_UNPUBLISHED, DeliveryEvent.class)
                                .setParameter("limit", BATCH)
                                .getResultList())
                        .chain(this::publishAll))
                .onFailure().invoke(e -> Log.warnf("Outcome relay will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> publishAll(List<DeliveryEvent> finished) {
        if (finished.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(finished.stream().map(this::publish).toList()).andFailFast()
                .invoke(() -> finished.forEach(event -> event.outcomePublished = true))
                .replaceWithVoid();
    }

    private Uni<Void> publish(DeliveryEvent event) {
        DeliveryOutcome outcome = new DeliveryOutcome(event.messageId, event.activationId, event.audienceId,
                event.eventName, event.status, event.reason, event.finishedAt != null ? event.finishedAt : Instant.now());
        Uni<Void> published = outcomes.sendMessage(keyed(outcome, event.activationId));
        if (!DeliveryStatus.FAILED.value.equals(event.status)) {
            return published;
        }
        ActivationEvent failed = new ActivationEvent(event.activationId, event.audienceId, event.runId, event.profileId,
                event.trigger, event.message(json));
        return published.chain(() -> deadLetters.sendMessage(keyed(failed, failed.partitionKey())));
    }

    private static <T> Message<T> keyed(T payload, String key) {
        return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
