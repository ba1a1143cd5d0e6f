package dev.linkedaudiences.delivery.destination.braze;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.JsonPost;
import dev.linkedaudiences.delivery.destination.SegmentMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * Sends to Braze (events.md): the {@code trackEvent} action as {@code POST {endpoint}/users/track} with
 * {@code Authorization: Bearer <apiKey>}. Settings: {@code apiKey}, {@code endpoint} (the instance's REST
 * endpoint, e.g. {@code https://rest.iad-01.braze.com}, called as given) and an optional {@code appId}.
 */
@ApplicationScoped
public class BrazeDestination implements Destination {
    public static final String TYPE = "braze";
    public static final String TRACK_EVENT = "trackEvent";

    private final JsonPost post;

    public BrazeDestination(JsonPost post) {
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
        Optional<String> missing = Destination.missingSetting(settings, "apiKey", "endpoint");
        if (missing.isPresent()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: " + missing.get()));
        }
        try {
            return post.send(trackUrl(settings.get("endpoint")), Map.of("Authorization", "Bearer " + settings.get("apiKey")),
                    post.bytes(BrazeTrackEvent.body(message, settings.get("appId"))), "message");
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unserializable_message"));
        }
    }

    static String trackUrl(String endpoint) {
        String base = endpoint.strip();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/users/track";
    }
}
