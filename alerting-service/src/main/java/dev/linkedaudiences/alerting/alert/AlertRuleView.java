package dev.linkedaudiences.alerting.alert;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An alert rule as the API shows it. {@code state} is {@code ok} or {@code breached}. */
public record AlertRuleView(UUID id, String audienceId, String type, double thresholdPercent, List<String> channels,
                            String state, Instant stateChangedAt, String createdBy, Instant createdAt) {

    static AlertRuleView of(AlertRule rule) {
        return new AlertRuleView(rule.id, rule.audienceId, rule.type, rule.thresholdPercent, List.copyOf(rule.channels),
                rule.state, rule.stateChangedAt, rule.createdBy, rule.createdAt);
    }
}
