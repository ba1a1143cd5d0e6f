package dev.linkedaudiences.delivery.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.activation.ActivationState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.Optional;

/**
 * Turns every activation event into one {@link DeliveryEvent} row: {@code pending} when its activation delivers,
 * {@code filtered_at_destination} otherwise. The Uni completes after the commit and only then is the Kafka offset
 * acknowledged, so a crash re-reads the record instead of losing it; the message id key absorbs the re-read.
 */
@ApplicationScoped
public class ActivationEventsConsumer {
    private final ObjectMapper json;

    public ActivationEventsConsumer(ObjectMapper json) {
        this.json = json;
    }

    @Incoming(Topics.ACTIVATION_EVENTS)
    public Uni<Void> consume(ActivationEvent event) {
        if (event == null || event.message() == null || event.activationId() == null || event.profileId() == null
                || !(event.message().get("messageId") instanceof String)) {
            Log.warnf("Skipping an unusable activation-events record (activation %s)", event == null ? null : event.activationId());
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> ActivationState.<ActivationState>findById(event.activationId())
                .chain(activation -> insertOnce(event, activation, Instant.now())));
    }

    private Uni<Void> insertOnce(ActivationEvent event, ActivationState activation, Instant now) {
        Optional<String> filtered = ActivationState.filterReason(activation);
        DeliveryStatus status = filtered.isPresent() ? DeliveryStatus.FILTERED_AT_DESTINATION : DeliveryStatus.PENDING;
        String audienceId = event.audienceId() != null || activation == null ? event.audienceId() : activation.audienceId;
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into delivery_event (message_id, activation_id, audience_id, run_id, profile_id, trigger,
                                                    event_name, destination, payload, status, reason, next_attempt_at,
                                                    created_at, finished_at)
                        values (:messageId, :activationId, :audienceId, :runId, :profileId, :trigger, :eventName,
                                :destination, :payload, :status, :reason, :nextAttemptAt, :createdAt, :finishedAt)
                        on conflict (message_id) do nothing""")
                        .setParameter("messageId", event.messageId())
                        .setParameter("activationId", event.activationId())
                        .setParameter("audienceId", audienceId)
                        .setParameter("runId", event.runId())
                        .setParameter("profileId", event.profileId())
                        .setParameter("trigger", event.trigger())
                        .setParameter("eventName", eventName(event))
                        .setParameter("destination", activation == null ? null : activation.destinationType)
                        .setParameter("payload", payload(event))
                        .setParameter("status", status.value)
                        .setParameter("reason", filtered.orElse(null))
                        .setParameter("nextAttemptAt", filtered.isPresent() ? null : now)
                        .setParameter("createdAt", now)
                        .setParameter("finishedAt", filtered.isPresent() ? now : null)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The track event's name; identify messages have none, so their type stands in. */
    private static String eventName(ActivationEvent event) {
        Object name = event.message().get("event");
        return name != null ? name.toString() : String.valueOf(event.message().get("type"));
    }

    private String payload(ActivationEvent event) {
        try {
            return json.writeValueAsString(event.message());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message " + event.messageId() + " is not JSON", e);
        }
    }
}
