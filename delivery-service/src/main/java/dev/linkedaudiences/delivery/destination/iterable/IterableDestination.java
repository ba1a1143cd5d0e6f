package dev.linkedaudiences.delivery.destination.iterable;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.JsonPost;
import dev.linkedaudiences.delivery.destination.SegmentMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

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

    private final JsonPost post;

    public IterableDestination(JsonPost post) {
        this.post = post;
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
        if (Destination.missingSetting(settings, "apiKey").isPresent()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: apiKey"));
        }
        try {
            // Iterable explains a refusal in the msg of its JSON reply
            return post.send(baseUrl(settings) + "/api/events/track", Map.of("Api-Key", settings.get("apiKey")), post.bytes(IterableTrackEvent.body(message)), "msg");
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unserializable_message"));
        }
    }

    static String baseUrl(Map<String, String> settings) {
        String override = settings.get("baseUrl");
        if (override != null && !override.isBlank()) {
            return override.endsWith("/") ? override.substring(0, override.length() - 1) : override;
        }
        return "eu".equalsIgnoreCase(settings.get("dataCenter")) ? EU : US;
    }
}
