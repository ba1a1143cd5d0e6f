package dev.linkedaudiences.delivery.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One activation event and where it is in its delivery. The row is the delivery queue ({@code pending}), the
 * dead-letter store ({@code failed}, payload and reason kept) and the outbox of its final outcome.
 */
@Entity
@Table(name = "delivery_event")
public class DeliveryEvent extends PanacheEntityBase {
    @Id
    public String messageId;
    /** Arrival order, assigned by the database. */
    @Column(insertable = false, updatable = false)
    public Long seq;
    public String activationId;
    public String audienceId;
    public String runId;
    public String profileId;
    public String trigger;
    public String eventName;
    /** The destination type ({@code iterable}, ...). */
    public String destination;
    /** The Segment message, as JSON text. */
    public String payload;
    public String status;
    public String reason;
    public int attempts;
    public Instant nextAttemptAt;
    public Instant createdAt;
    public Instant finishedAt;
    public boolean outcomePublished;

    /** The stored Segment message, as destinations take it. */
    public Map<String, Object> message(ObjectMapper json) {
        try {
            return json.readValue(payload, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored payload of " + messageId + " is not JSON", e);
        }
    }

    public void succeed(Instant at) {
        finish(DeliveryStatus.SUCCESSFUL, null, at);
    }

    public void fail(String why, Instant at) {
        finish(DeliveryStatus.FAILED, why, at);
    }

    public void filterAtDestination(String why, Instant at) {
        finish(DeliveryStatus.FILTERED_AT_DESTINATION, why, at);
    }

    /** Stays pending until {@code at}; {@code why} tells what went wrong with the last attempt. */
    public void retryAt(Instant at, String why) {
        status = DeliveryStatus.PENDING.value;
        nextAttemptAt = at;
        reason = why;
    }

    private void finish(DeliveryStatus finalStatus, String why, Instant at) {
        status = finalStatus.value;
        reason = why;
        nextAttemptAt = null;
        finishedAt = at;
    }
}
