package dev.linkedaudiences.alerting.alert;

import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Creating, reading and deleting alert rules. Their evaluation lives in the notification package. */
@ApplicationScoped
public class AlertRuleService {

    @WithTransaction
    public Uni<AlertRuleView> create(CreateAlertRule request, String creator) {
        List<FieldError> problems = request.problems();
        if (!problems.isEmpty()) {
            return Uni.createFrom().failure(ApiException.invalid(problems));
        }
        AlertRule rule = new AlertRule();
        rule.id = UUID.randomUUID();
        rule.audienceId = request.audienceId();
        rule.type = request.type();
        rule.thresholdPercent = request.thresholdPercent();
        rule.channels = request.channelsOrDefault();
        rule.state = AlertRule.STATE_OK;
        rule.createdBy = creator;
        rule.createdAt = Instant.now();
        return rule.<AlertRule>persist().map(AlertRuleView::of);
    }

    /** The rules of one audience, or all rules when {@code audienceId} is null, oldest first. */
    @WithSession
    public Uni<List<AlertRuleView>> list(String audienceId) {
        Uni<List<AlertRule>> rules = audienceId == null
                ? AlertRule.list("order by createdAt")
                : AlertRule.list("audienceId = ?1 order by createdAt", audienceId);
        return rules.map(found -> found.stream().map(AlertRuleView::of).toList());
    }

    @WithSession
    public Uni<AlertRuleView> get(UUID id) {
        return find(id).map(AlertRuleView::of);
    }

    /** Deletes the rule if {@code caller} created it or is a workspace owner (product.md); 403 otherwise. */
    @WithTransaction
    public Uni<Void> delete(UUID id, String caller, boolean callerIsWorkspaceOwner) {
        return find(id).chain(rule -> {
            if (!callerIsWorkspaceOwner && !rule.createdBy.equals(caller)) {
                return Uni.createFrom().failure(ApiException.forbidden(
                        "only the creator of an alert rule or a workspace owner may delete it"));
            }
            return rule.delete();
        });
    }

    private static Uni<AlertRule> find(UUID id) {
        return AlertRule.<AlertRule>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("alert rule " + id));
    }
}
