package dev.linkedaudiences.delivery.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.delivery.DeliveryConfig;
import dev.linkedaudiences.delivery.activation.ActivationState;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destinations;
import dev.linkedaudiences.delivery.event.DeliveryEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sends due pending events to their destinations and records what came of it.
 * <p>
 * A pass claims due events with {@code FOR UPDATE SKIP LOCKED}, so instances share the work, and holds the locks
 * while it sends: a crash before the commit leaves the events pending, to be sent again (destinations dedupe on
 * the message id). Only the earliest pending event of an (activation, profile) is ever claimed, which keeps a
 * profile's events in the order they were produced, retries included, while other profiles keep flowing.
 */
@ApplicationScoped
public class Dispatcher {
    private static final String CLAIM_DUE = """
            select e.* from delivery_event e
            where e.status = 'pending' and e.next_attempt_at <= :now
              and not exists (select 1 from delivery_event earlier
                              where earlier.activation_id = e.activation_id and earlier.profile_id = e.profile_id
                                and earlier.status = 'pending' and earlier.seq < e.seq)
            order by e.next_attempt_at, e.seq
            limit :limit
            for update of e skip locked""";

    private static final int MAX_PASSES_PER_TICK = 20;

    private final DeliveryConfig config;
    private final Destinations destinations;
    private final ObjectMapper json;
    private final RetryPolicy retryPolicy;

    public Dispatcher(DeliveryConfig config, Destinations destinations, ObjectMapper json) {
        this.config = config;
        this.destinations = destinations;
        this.json = json;
        this.retryPolicy = new RetryPolicy(config.backoffBase(), config.backoffCap(), config.retryWindow(),
                new Random()); // thread-safe: passes run on whichever event loop the scheduler picks
    }

    @Scheduled(every = "${delivery.dispatch-interval}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> dispatchDue() {
        // A full batch suggests more are due: keep going until a pass comes back short (or for a while at most).
        return Multi.createBy().repeating().uni(this::dispatchBatch)
                .whilst(claimed -> claimed == config.batchSize())
                .select().first(MAX_PASSES_PER_TICK)
                .collect().last()
                .onFailure().invoke(e -> Log.warnf("Dispatcher pass failed, retrying on the next tick: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims, sends and records one batch in one transaction; answers how many events it claimed. */
    Uni<Integer> dispatchBatch() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM_DUE, DeliveryEvent.class)
                        .setParameter("now", Instant.now())
                        .setParameter("limit", config.batchSize())
                        .getResultList())
                .chain(due -> due.isEmpty() ? Uni.createFrom().item(0) : sendAll(due).replaceWith(due.size())));
    }

    private Uni<Void> sendAll(List<DeliveryEvent> due) {
        Set<String> activationIds = due.stream().map(e -> e.activationId).collect(Collectors.toSet());
        return ActivationState.byId(activationIds).chain(activations -> Uni.join()
                .all(due.stream().map(event -> send(event, activations.get(event.activationId))).toList())
                .andCollectFailures()
                .replaceWithVoid());
    }

    private Uni<Void> send(DeliveryEvent event, ActivationState activation) {
        Optional<String> filtered = ActivationState.filterReason(activation);
        if (filtered.isPresent()) {
            // Disabled or deleted while the event waited: nothing is sent from now on.
            event.filterAtDestination(filtered.get(), Instant.now());
            return Uni.createFrom().voidItem();
        }
        Uni<DeliveryResult> result = Uni.createFrom().deferred(() -> destinations.forType(activation.destinationType)
                .map(destination -> destination.send(activation.action, event.message(json), activation.settings(json)))
                .orElseGet(() -> Uni.createFrom().item(
                        DeliveryResult.notSendable("unsupported_destination_type: " + activation.destinationType))));
        return result.onFailure().recoverWithItem(DeliveryResult::networkError)
                .invoke(outcome -> record(event, outcome, Instant.now()))
                .replaceWithVoid();
    }

    private void record(DeliveryEvent event, DeliveryResult result, Instant now) {
        if (result.attempted()) {
            event.attempts++;
        }
        RetryPolicy.Decision decision = retryPolicy.decide(result, event.attempts, event.createdAt, now);
        switch (decision.outcome()) {
            case DELIVERED -> event.succeed(now);
            case RETRY -> event.retryAt(decision.retryAt(), decision.reason());
            case FAILED -> {
                Log.infof("Event %s of activation %s failed: %s", event.messageId, event.activationId, decision.reason());
                event.fail(decision.reason(), now);
            }
        }
    }
}
