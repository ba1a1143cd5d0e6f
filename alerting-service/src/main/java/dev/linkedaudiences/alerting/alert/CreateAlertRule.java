package dev.linkedaudiences.alerting.alert;

import dev.linkedaudiences.contracts.problem.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/alerts}. {@code channels} defaults to {@code ["in_app"]}.
 *
 * @param thresholdPercent the change, in percent of the earlier size, above which the rule is breached
 */
public record CreateAlertRule(String audienceId, String type, Double thresholdPercent, List<String> channels) {
    private static final int MAX_ID_LENGTH = 200;
    /** Channels of the product that this service cannot send to yet. */
    private static final Set<String> PLANNED_CHANNELS = Set.of("email", "slack");

    /** Every problem of this request at once, each at its JSON pointer; empty when it is valid. */
    public List<FieldError> problems() {
        List<FieldError> problems = new ArrayList<>();
        if (audienceId == null || audienceId.isBlank()) {
            problems.add(new FieldError("/audienceId", "is required"));
        } else if (audienceId.length() > MAX_ID_LENGTH) {
            problems.add(new FieldError("/audienceId", "must be at most " + MAX_ID_LENGTH + " characters"));
        }
        if (type == null) {
            problems.add(new FieldError("/type", "is required; one of [" + AlertRule.AUDIENCE_SIZE_CHANGE + "]"));
        } else if (type.equals(AlertRule.ACTIVATION_EVENT_HEALTH)) {
            problems.add(new FieldError("/type", AlertRule.ACTIVATION_EVENT_HEALTH + " is not yet supported; one of ["
                    + AlertRule.AUDIENCE_SIZE_CHANGE + "]"));
        } else if (!type.equals(AlertRule.AUDIENCE_SIZE_CHANGE)) {
            problems.add(new FieldError("/type", "unknown type '" + type + "'; one of [" + AlertRule.AUDIENCE_SIZE_CHANGE + "]"));
        }
        if (thresholdPercent == null) {
            problems.add(new FieldError("/thresholdPercent", "is required"));
        } else if (!(thresholdPercent > 0) || thresholdPercent.isInfinite()) {
            problems.add(new FieldError("/thresholdPercent", "must be a number greater than 0"));
        }
        if (channels != null) {
            if (channels.isEmpty()) {
                problems.add(new FieldError("/channels", "needs at least one channel; one of [" + AlertRule.IN_APP + "]"));
            }
            for (int i = 0; i < channels.size(); i++) {
                String channel = channels.get(i);
                if (AlertRule.IN_APP.equals(channel)) {
                    continue;
                }
                String message = channel == null ? "a channel name, one of [" + AlertRule.IN_APP + "]"
                        : PLANNED_CHANNELS.contains(channel)
                        ? channel + " is not yet supported; one of [" + AlertRule.IN_APP + "]"
                        : "unknown channel '" + channel + "'; one of [" + AlertRule.IN_APP + "]";
                problems.add(new FieldError("/channels/" + i, message));
            }
        }
        return problems;
    }

    /** The channels to store: the default when none were given, each once. */
    List<String> channelsOrDefault() {
        return channels == null ? List.of(AlertRule.IN_APP) : channels.stream().distinct().toList();
    }
}
