package dev.linkedaudiences.alerting.notification;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An in-app notification: a rule went into breach or recovered. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {
    @Id
    public UUID id;
    public UUID ruleId;
    public String audienceId;
    /** {@code breach} or {@code recovery}. */
    public String kind;
    public String message;
    public long previousSize;
    public long currentSize;
    public double thresholdPercent;
    /** The run whose result caused it. */
    public String runId;
    public Instant createdAt;

    /** Newest first; all audiences when {@code audienceId} is null. */
    public static Uni<List<Notification>> newest(String audienceId, int limit) {
        var query = audienceId == null
                ? Notification.<Notification>find("order by createdAt desc, id")
                : Notification.<Notification>find("audienceId = ?1 order by createdAt desc, id", audienceId);
        return query.page(0, limit).list();
    }
}
