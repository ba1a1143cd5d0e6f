package dev.linkedaudiences.alerting.notification;

import java.time.Instant;
import java.util.UUID;

/** An in-app notification as the API shows it. {@code kind} is {@code breach} or {@code recovery}. */
public record NotificationView(UUID id, UUID ruleId, String audienceId, String kind, String message, long previousSize,
                               long currentSize, double thresholdPercent, String runId, Instant createdAt) {

    static NotificationView of(Notification n) {
        return new NotificationView(n.id, n.ruleId, n.audienceId, n.kind, n.message, n.previousSize, n.currentSize,
                n.thresholdPercent, n.runId, n.createdAt);
    }
}
