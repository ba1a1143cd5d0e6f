package dev.linkedaudiences.delivery.event;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

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
    /** When a replay put the event back to pending: its retry window starts there instead of at its arrival. */
    public Instant retrySince;

    /** A row of {@code delivery_event} read by a plain SQL client (the dispatcher), not managed by Hibernate. */
    public static DeliveryEvent of(io.vertx.mutiny.sqlclient.Row row) {
        DeliveryEvent event = new DeliveryEvent();
        event.messageId = row.getString("message_id");
        event.seq = row.getLong("seq");
        event.activationId = row.getString("activation_id");
        event.audienceId = row.getString("audience_id");
        event.runId = row.getString("run_id");
        event.profileId = row.getString("profile_id");
        event.trigger = row.getString("trigger");
        event.eventName = row.getString("event_name");
        event.destination = row.getString("destination");
        event.payload = row.getString("payload");
        event.status = row.getString("status");
        event.reason = row.getString("reason");
        event.attempts = row.getInteger("attempts");
        event.nextAttemptAt = instant(row, "next_attempt_at");
        event.createdAt = instant(row, "created_at");
        event.finishedAt = instant(row, "finished_at");
        event.outcomePublished = row.getBoolean("outcome_published");
        event.retrySince = instant(row, "retry_since");
        return event;
    }

    private static Instant instant(io.vertx.mutiny.sqlclient.Row row, String column) {
        java.time.OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
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
