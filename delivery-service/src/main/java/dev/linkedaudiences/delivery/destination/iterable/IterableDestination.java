package dev.linkedaudiences.delivery.destination.iterable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.delivery.DeliveryConfig;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;

/**
 * Sends to Iterable (events.md): the {@code trackEvent} action as {@code POST /api/events/track} with the
 * project's key in {@code Api-Key}. Settings: {@code apiKey}, {@code dataCenter} ({@code us} | {@code eu}) and an
 * optional {@code baseUrl} that overrides both (tests, proxies).
 */
@ApplicationScoped
public class IterableDestination implements Destination {
    public static final String TYPE = "iterable";
    public static final String TRACK_EVENT = "trackEvent";
    private static final String US = "https://api.iterable.com";
    private static final String EU = "https://api.eu.iterable.com";
    private static final int MAX_REASON_LENGTH = 300;

    private final WebClient http;
    private final ObjectMapper json;
    private final long timeoutMillis;

    public IterableDestination(WebClient http, ObjectMapper json, DeliveryConfig config) {
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
        if (!IterableTrackEvent.hasIdentifier(message)) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_identifier"));
        }
        String apiKey = settings.get("apiKey");
        if (apiKey == null || apiKey.isBlank()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: apiKey"));
        }
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(IterableTrackEvent.body(message)));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unserializable_message"));
        }
        return Uni.createFrom().completionStage(() -> http.postAbs(baseUrl(settings) + "/api/events/track")
                        .putHeader("Api-Key", apiKey)
                        .putHeader("Content-Type", "application/json")
                        .timeout(timeoutMillis)
                        .sendBuffer(body)
                        .toCompletionStage())
                .map(this::result)
                .onFailure().recoverWithItem(DeliveryResult::networkError);
    }

    static String baseUrl(Map<String, String> settings) {
        String override = settings.get("baseUrl");
        if (override != null && !override.isBlank()) {
            return override.endsWith("/") ? override.substring(0, override.length() - 1) : override;
        }
        return "eu".equalsIgnoreCase(settings.get("dataCenter")) ? EU : US;
    }

    private DeliveryResult result(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String reason = status >= 200 && status < 300 ? null : "HTTP " + status + ": " + message(response.bodyAsString());
        return DeliveryResult.answered(status, reason, DeliveryResult.parseRetryAfter(response.getHeader("Retry-After"), Instant.now()));
    }

    /** Iterable explains a refusal in the {@code msg} of its JSON reply; anything else is quoted, shortened. */
    private String message(String body) {
        if (body == null || body.isBlank()) {
            return "(empty reply)";
        }
        try {
            JsonNode msg = json.readTree(body).path("msg");
            if (msg.isTextual() && !msg.asText().isBlank()) {
                return msg.asText();
            }
        } catch (JsonProcessingException notJson) {
            // quoted below
        }
        return body.length() > MAX_REASON_LENGTH ? body.substring(0, MAX_REASON_LENGTH) + "..." : body;
    }
}
