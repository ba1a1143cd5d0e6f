package dev.linkedaudiences.delivery.outcome;

import dev.linkedaudiences.delivery.event.DeliveryEvent;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the final step of every event that is not published yet (those stored final on arrival, those whose
 * pass could not publish them, those of a pass that crashed) through the {@link OutcomePublisher}. The event row is
 * the outbox: its {@code outcome_published} flag is set only after the broker acknowledged, in the transaction that
 * claimed the row, so a crash re-publishes (consumers key on message id and step) instead of losing the outcome.
 */
@ApplicationScoped
public class OutcomeRelay {
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES_PER_TICK = 100;
    /** Every column of the row but the payload, which only a failed event needs (its dead letter). */
    private static final String CLAIM_UNPUBLISHED = """
            select message_id, seq, activation_id, audience_id, run_id, profile_id, trigger, event_name, destination,
                   status, reason, attempts, next_attempt_at, created_at, finished_at, outcome_published, retry_since,
                   case when status = 'failed' then payload end as payload
            from delivery_event
            where not outcome_published and status <> 'pending'
            order by seq
            limit $1
            for update skip locked""";
    private static final String MARK_PUBLISHED = "update delivery_event set outcome_published = true where message_id = any($1)";

    private final OutcomePublisher publisher;
    private final Pool pool;

    public OutcomeRelay(OutcomePublisher publisher, Pool pool) {
        this.publisher = publisher;
        this.pool = pool;
    }

    @Scheduled(every = "${delivery.outcome-interval}", delayed = "2s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        // A full batch suggests more: keep going until one comes back short (or for a while at most).
        return Multi.createBy().repeating().uni(this::relayBatch)
                .whilst(published -> published == BATCH)
                .select().first(MAX_BATCHES_PER_TICK)
                .collect().last()
                .onFailure().invoke(e -> Log.warnf("Outcome relay will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims, publishes and marks one batch in one transaction; answers how many it published. */
    Uni<Integer> relayBatch() {
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM_UNPUBLISHED).execute(Tuple.of(BATCH))
                .chain(rows -> {
                    List<DeliveryEvent> finished = new ArrayList<>();
                    rows.forEach(row -> finished.add(DeliveryEvent.of(row)));
                    if (finished.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    String[] ids = finished.stream().map(event -> event.messageId).toArray(String[]::new);
                    return publisher.publishAll(finished)
                            .chain(() -> connection.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids)))
                            .replaceWith(finished.size());
                }));
    }
}
