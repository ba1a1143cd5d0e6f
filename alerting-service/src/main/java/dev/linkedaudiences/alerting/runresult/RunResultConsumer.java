package dev.linkedaudiences.alerting.runresult;

import dev.linkedaudiences.alerting.notification.AudienceSizeEvaluator;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.RunCompleted;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Stores every run result once and evaluates the audience-size rules on each new successful one. Records arrive
 * one at a time per channel, so the evaluations of one audience never overlap.
 */
@ApplicationScoped
public class RunResultConsumer {
    private final AudienceSizeEvaluator evaluator;

    public RunResultConsumer(AudienceSizeEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Incoming(Topics.RUN_RESULTS)
    public Uni<Void> consume(RunCompleted run) {
        if (run == null || run.runId() == null || run.audienceId() == null || run.status() == null
                || run.finishedAt() == null) {
            // An unreadable or incomplete record cannot be stored or evaluated; stopping the channel would not help.
            Log.warnf("Skipping an unusable run-results record: %s", run);
            return Uni.createFrom().voidItem();
        }
        // Stored and evaluated in one transaction: a redelivered run is neither stored nor evaluated twice.
        return Panache.withTransaction(() -> RunResult.storeOnce(run)
                .chain(isNew -> isNew && RunResult.SUCCEEDED.equals(run.status()) && run.audienceSize() != null
                        ? evaluator.evaluate(run)
                        : Uni.createFrom().voidItem()));
    }
}
