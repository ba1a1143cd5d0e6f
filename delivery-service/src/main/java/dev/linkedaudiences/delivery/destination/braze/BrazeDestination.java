package dev.linkedaudiences.delivery.destination.braze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkedaudiences.delivery.destination.CannotSend;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.Endpoint;
import dev.linkedaudiences.delivery.destination.JsonApiRoute;
import dev.linkedaudiences.delivery.destination.Route;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends to Braze (events.md): every action posts to {@code {endpoint}/users/track} with
 * {@code Authorization: Bearer <apiKey>}, up to 75 objects per request; {@code trackEvent} as {@code events[]}
 * ({@link BrazeTrackEvent}), {@code updateUserProfile} and every identify message as {@code attributes[]}
 * ({@link BrazeUserAttributes}). A 2xx reply may list refused objects in {@code errors[]} by {@code index}: those
 * fail, the others succeeded. Settings: {@code apiKey}, {@code endpoint} (the instance's REST endpoint, e.g.
 * {@code https://rest.iad-01.braze.com}), {@code appId} (optional), {@code rateLimit.usersTrack}.
 */
@ApplicationScoped
public class BrazeDestination implements Destination {
    public static final String TYPE = "braze";
    public static final String TRACK_EVENT = "trackEvent";
    public static final String UPDATE_USER_PROFILE = "updateUserProfile";

    /** 50,000 requests per minute, 75 objects each (Braze's published /users/track limits). */
    static final Endpoint USERS_TRACK = new Endpoint("usersTrack", 75, 4 * 1024 * 1024, 50_000 / 60.0);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Route route(String action, boolean identify, Map<String, String> settings) {
        if (!TRACK_EVENT.equals(action) && !UPDATE_USER_PROFILE.equals(action)) {
            throw new CannotSend("unsupported_action: " + action);
        }
        Destination.requireSettings(settings, "apiKey", "endpoint");
        String url = Destination.trimSlash(settings.get("endpoint")) + "/users/track";
        Map<String, String> headers = Map.of("Authorization", "Bearer " + settings.get("apiKey"));
        if (identify || UPDATE_USER_PROFILE.equals(action)) {
            return route(url, "attributes", headers, BrazeUserAttributes::item);
        }
        String appId = settings.get("appId");
        return route(url, "events", headers, message -> BrazeTrackEvent.item(message, appId));
    }

    private static Route route(String url, String batchField, Map<String, String> headers, Function<Map<String, Object>, Object> builder) {
        return new JsonApiRoute(USERS_TRACK, url, batchField, headers, builder, "message", refusedIn(batchField));
    }

    /** {@code errors: [{"type": "...", "input_array": "events", "index": 0}]}: the object at that index failed. */
    private static JsonApiRoute.RefusedItems refusedIn(String batchField) {
        return (reply, messages) -> {
            Map<Integer, String> refused = new HashMap<>();
            reply.path("errors").forEach(error -> {
                JsonNode index = error.path("index");
                String array = error.path("input_array").asText(batchField);
                if (index.canConvertToInt() && batchField.equals(array) && index.asInt() >= 0 && index.asInt() < messages.size()) {
                    refused.putIfAbsent(index.asInt(), "braze: " + error.path("type").asText("refused"));
                }
            });
            return refused;
        };
    }
}
