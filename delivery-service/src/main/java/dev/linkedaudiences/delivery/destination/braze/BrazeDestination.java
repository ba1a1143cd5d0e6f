package dev.linkedaudiences.delivery.destination.braze;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.delivery.DeliveryConfig;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.HttpReplies;
import dev.linkedaudiences.delivery.destination.SegmentMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * Sends to Braze (events.md): the {@code trackEvent} action as {@code POST {endpoint}/users/track} with
 * {@code Authorization: Bearer <apiKey>}. Settings: {@code apiKey}, {@code endpoint} (the instance's REST
 * endpoint, e.g. {@code https://rest.iad-01.braze.com}, called as given) and an optional {@code appId}.
 */
@ApplicationScoped
public class BrazeDestination implements Destination {
    public static final String TYPE = "braze";
    public static final String TRACK_EVENT = "trackEvent";

    private final WebClient http;
    private final ObjectMapper json;
    private final long timeoutMillis;

    public BrazeDestination(WebClient http, ObjectMapper json, DeliveryConfig config) {
        this.http = http;
        this.json = json;
        this.timeoutMillis = config.httpTimeout().toMillis();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<DeliveryResult> send(String action, Map<String, Object> message, Map<String, String> settings) {
        if (!TRACK_EVENT.equals(action)) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unsupported_action: " + action));
        }
        if (!SegmentMessage.hasIdentifier(message)) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_identifier"));
        }
        String apiKey = settings.get("apiKey");
        if (apiKey == null || apiKey.isBlank()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: apiKey"));
        }
        String endpoint = settings.get("endpoint");
        if (endpoint == null || endpoint.isBlank()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: endpoint"));
        }
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(BrazeTrackEvent.body(message, settings.get("appId"))));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unserializable_message"));
        }
        return Uni.createFrom().completionStage(() -> http.postAbs(trackUrl(endpoint))
                        .putHeader("Authorization", "Bearer " + apiKey)
                        .putHeader("Content-Type", "application/json")
                        .timeout(timeoutMillis)
                        .sendBuffer(body)
                        .toCompletionStage())
                .map(response -> HttpReplies.result(response, json, "message"))
                .onFailure().recoverWithItem(DeliveryResult::networkError);
    }

    static String trackUrl(String endpoint) {
        String base = endpoint.strip();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/users/track";
    }
}
