package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.compute.UnprocessableRecords;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.RunRequested;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Queues the runs that audience-service asks for (enable, Run Now through the audience API). */
@ApplicationScoped
public class RunRequestsConsumer {
    private final RunService runs;
    private final JsonText json;

    public RunRequestsConsumer(RunService runs, JsonText json) {
        this.runs = runs;
        this.json = json;
    }

    @Incoming(Topics.RUN_REQUESTS)
    public Uni<Void> consume(RunRequested request) {
        return UnprocessableRecords.process(Topics.RUN_REQUESTS, request, RunRequested::audienceId, this::queue);
    }

    private Uni<Void> queue(RunRequested request) {
        String awaited = request.activations() == null ? null : json.write(request.activations());
        return runs.request(request.audienceId(), request.trigger(), awaited).replaceWithVoid();
    }
}
