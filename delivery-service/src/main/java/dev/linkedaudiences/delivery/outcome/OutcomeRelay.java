package dev.linkedaudiences.delivery.outcome;

import dev.linkedaudiences.delivery.event.DeliveryEvent;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
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
    /** The columns an outcome needs; the payload only for a failed event (its dead letter), not to read it for all. */
    private static final String CLAIM_UNPUBLISHED = """
            select message_id, activation_id, audience_id, run_id, profile_id, trigger, event_name, status, reason,
                   finished_at, case when status = 'failed' then payload end as payload
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
                    rows.forEach(row -> finished.add(finished(row)));
                    if (finished.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    String[] ids = finished.stream().map(event -> event.messageId).toArray(String[]::new);
                    return publisher.publishAll(finished)
                            .chain(() -> connection.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids)))
                            .replaceWith(finished.size());
                }));
    }

    private static DeliveryEvent finished(Row row) {
        DeliveryEvent event = new DeliveryEvent();
        event.messageId = row.getString("message_id");
        event.activationId = row.getString("activation_id");
        event.audienceId = row.getString("audience_id");
        event.runId = row.getString("run_id");
        event.profileId = row.getString("profile_id");
        event.trigger = row.getString("trigger");
        event.eventName = row.getString("event_name");
        event.status = row.getString("status");
        event.reason = row.getString("reason");
        OffsetDateTime finishedAt = row.getOffsetDateTime("finished_at");
        event.finishedAt = finishedAt == null ? null : finishedAt.toInstant();
        event.payload = row.getString("payload");
        return event;
    }
}
