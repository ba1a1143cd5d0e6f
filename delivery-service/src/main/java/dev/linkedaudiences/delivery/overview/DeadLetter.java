package dev.linkedaudiences.delivery.overview;

import dev.linkedaudiences.delivery.event.DeliveryEvent;

import java.time.Instant;

/** An event that failed for good, as the dead-letter listing shows it (no payload, no settings). */
public record DeadLetter(String messageId, String activationId, String profileId, String eventName, String reason,
                         int attempts, Instant createdAt, Instant failedAt) {

    static DeadLetter of(DeliveryEvent event) {
        return new DeadLetter(event.messageId, event.activationId, event.profileId, event.eventName, event.reason,
                event.attempts, event.createdAt, event.finishedAt);
    }
}
