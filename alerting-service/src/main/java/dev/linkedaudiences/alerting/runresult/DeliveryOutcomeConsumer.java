package dev.linkedaudiences.alerting.runresult;

import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.DeliveryOutcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/**
 * Stores the final delivery step of every activation event, once per message and step. Only stored for now: they
 * are the input of the activation event health rule (events accepted in the last 24 h against the 24 h before).
 */
@ApplicationScoped
public class DeliveryOutcomeConsumer {

    @Incoming(Topics.DELIVERY_OUTCOMES)
    public Uni<Void> consume(DeliveryOutcome outcome) {
        if (outcome == null || outcome.messageId() == null || outcome.step() == null) {
            Log.warnf("Skipping an unusable delivery-outcomes record: %s", outcome);
            return Uni.createFrom().voidItem();
        }
        Instant occurredAt = outcome.at() != null ? outcome.at() : Instant.now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into delivery_outcome (message_id, step, activation_id, audience_id, event_name, reason, occurred_at)
                        values (:messageId, :step, :activationId, :audienceId, :eventName, :reason, :occurredAt)
                        on conflict (message_id, step) do nothing""")
                .setParameter("messageId", outcome.messageId())
                .setParameter("step", outcome.step())
                .setParameter("activationId", outcome.activationId())
                .setParameter("audienceId", outcome.audienceId())
                .setParameter("eventName", outcome.eventName())
                .setParameter("reason", outcome.reason())
                .setParameter("occurredAt", occurredAt)
                .executeUpdate()))
                .replaceWithVoid();
    }
}
