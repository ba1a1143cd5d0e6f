package dev.linkedaudiences.delivery.testevent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.api.ActivationMessageRequest;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.delivery.activation.ActivationState;
import dev.linkedaudiences.delivery.destination.BatchSender;
import dev.linkedaudiences.delivery.destination.OutgoingMessage;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.Destinations;
import dev.linkedaudiences.delivery.destination.JsonPost;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends an activation's message for one profile now (product.md, "Test event"): compute-service builds the message,
 * and it goes straight to the destination through the same request builders, URL policy and rate limits as every
 * event, but not through the queue: no retry, no dead letter, not counted in the overview. A disabled activation
 * can be tested (that is when one tests it).
 */
@ApplicationScoped
public class TestEventService {
    private final ComputeServiceClient compute;
    private final Destinations destinations;
    private final BatchSender sender;
    private final JsonPost post;
    private final ObjectMapper json;
    private final SecretBox secrets;

    public TestEventService(@RestClient ComputeServiceClient compute, Destinations destinations, BatchSender sender,
                            JsonPost post, ObjectMapper json, SecretBox secrets) {
        this.secrets = secrets;
        this.compute = compute;
        this.destinations = destinations;
        this.sender = sender;
        this.post = post;
        this.json = json;
    }

    @WithSession
    public Uni<TestEventResult> send(ActivationMessageRequest request, String authorization) {
        List<FieldError> errors = request.problems();
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ApiException.invalid(errors));
        }
        return ActivationState.<ActivationState>findById(request.activationId())
                .onItem().ifNull().failWith(() -> ApiException.notFound("activation " + request.activationId()))
                .chain(activation -> message(request, authorization).chain(event -> send(activation, event)));
    }

    private Uni<ActivationEvent> message(ActivationMessageRequest request, String authorization) {
        return compute.activationMessage(authorization, request)
                .onFailure(WebApplicationException.class).transform(e -> refused((WebApplicationException) e, request))
                .onFailure(e -> !(e instanceof ApiException)).transform(e ->
                        ApiException.unavailable("compute-service did not answer: " + e.getMessage()))
                .onItem().ifNull().failWith(() -> ApiException.unavailable("compute-service answered no message"));
    }

    private static ApiException refused(WebApplicationException e, ActivationMessageRequest request) {
        int status = e.getResponse().getStatus();
        if (status == 404) {
            return ApiException.notFound("a message for profile " + request.profileId() + " of activation " + request.activationId());
        }
        if (status == 400) {
            return ApiException.invalid("/profileId", "compute-service cannot build this profile's message");
        }
        return ApiException.unavailable("compute-service answered " + status);
    }

    private Uni<TestEventResult> send(ActivationState activation, ActivationEvent event) {
        Map<String, Object> payload = event.message();
        if (event.filteredAtSource() != null) {
            return Uni.createFrom().item(new TestEventResult(payload,
                    new TestEventResult.Reply(null, null, "filtered_at_source: " + event.filteredAtSource())));
        }
        Optional<Destination> destination = destinations.forType(activation.destinationType);
        if (destination.isEmpty()) {
            return Uni.createFrom().item(new TestEventResult(payload,
                    new TestEventResult.Reply(null, null, "unsupported_destination_type: " + activation.destinationType)));
        }
        return sender.send(destination.get(), activation.destinationId, activation.action, List.of(OutgoingMessage.of(payload, json)),
                        activation.settings(json, secrets))
                .map(results -> new TestEventResult(payload, reply(results.get(0))));
    }

    private TestEventResult.Reply reply(DeliveryResult result) {
        Integer status = result.attempted() && result.status() > 0 ? result.status() : null;
        Object body = null;
        if (result.reply() != null && !result.reply().isEmpty()) {
            JsonNode parsed = post.readReply(result.reply());
            body = parsed.isMissingNode() ? result.reply() : parsed;
        }
        return new TestEventResult.Reply(status, body, result.succeeded() ? null : result.reason());
    }
}
