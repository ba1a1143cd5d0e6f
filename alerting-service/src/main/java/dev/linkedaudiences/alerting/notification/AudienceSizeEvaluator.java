package dev.linkedaudiences.alerting.notification;

import dev.linkedaudiences.alerting.alert.AlertRule;
import dev.linkedaudiences.alerting.runresult.RunResult;
import dev.linkedaudiences.contracts.event.RunCompleted;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Evaluates the audience size change rules of an audience when one of its runs succeeds: the size now against the
 * size 24 hours earlier, i.e. the latest successful run at or before {@code finishedAt - 24h}. With less than 24 hours
 * of history the oldest successful run stands in (README.md), so a fresh audience is watched from its first day.
 */
@ApplicationScoped
public class AudienceSizeEvaluator {
    static final Duration WINDOW = Duration.ofHours(24);

    /** Runs inside the transaction that stored {@code run}, so that a redelivered run is never evaluated again. */
    public Uni<Void> evaluate(RunCompleted run) {
        return AlertRule.ofAudience(run.audienceId(), AlertRule.AUDIENCE_SIZE_CHANGE).chain(rules -> rules.isEmpty()
                ? Uni.createFrom().voidItem()
                : baseline(run).chain(baseline -> baseline == null
                        ? Uni.createFrom().voidItem() // the audience's first successful run: nothing to compare with
                        : apply(rules, run, new SizeChange(baseline.audienceSize, run.audienceSize()))));
    }

    private static Uni<RunResult> baseline(RunCompleted run) {
        return RunResult.latestSucceededAtOrBefore(run.audienceId(), run.finishedAt().minus(WINDOW))
                .chain(dayBefore -> dayBefore != null
                        ? Uni.createFrom().item(dayBefore)
                        : RunResult.oldestSucceededBefore(run.audienceId(), run.finishedAt()));
    }

    /** One rule after the other: a reactive session does not take concurrent operations. */
    private static Uni<Void> apply(List<AlertRule> rules, RunCompleted run, SizeChange change) {
        Uni<Void> applied = Uni.createFrom().voidItem();
        for (AlertRule rule : rules) {
            applied = applied.chain(() -> apply(rule, run, change));
        }
        return applied;
    }

    private static Uni<Void> apply(AlertRule rule, RunCompleted run, SizeChange change) {
        Transition transition = Transition.of(rule.state, change.breaches(rule.thresholdPercent));
        if (transition == Transition.NONE) {
            return Uni.createFrom().voidItem();
        }
        // The rule is managed by the session: its new state is written when the transaction commits.
        rule.state = transition.nextState(rule.state);
        rule.stateChangedAt = run.finishedAt();
        Notification notification = new Notification();
        notification.id = UUID.randomUUID();
        notification.ruleId = rule.id;
        notification.audienceId = run.audienceId();
        notification.kind = transition.kind();
        String audienceKey = run.audienceKey() != null ? run.audienceKey() : run.audienceId();
        notification.message = NotificationText.of(transition, audienceKey, change, rule.thresholdPercent);
        notification.previousSize = change.previous();
        notification.currentSize = change.current();
        notification.thresholdPercent = rule.thresholdPercent;
        notification.runId = run.runId();
        notification.createdAt = Instant.now();
        return notification.persist().replaceWithVoid();
    }
}
