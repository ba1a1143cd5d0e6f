package dev.linkedaudiences.delivery.destination.customerio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkedaudiences.delivery.destination.CannotSend;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.Endpoint;
import dev.linkedaudiences.delivery.destination.JsonApiRoute;
import dev.linkedaudiences.delivery.destination.Route;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends to Customer.io's Track API v2 (events.md) with basic auth {@code siteId:apiKey}: {@code trackEvent} as
 * person events, {@code identify} (and every identify message) as person identifies ({@link CustomerIoEntity}),
 * batched by default as {@code POST /api/v2/batch} {@code {"batch": [...]}} (up to 100 entities, 500 KB); with
 * {@code bulk=false}, one {@code POST /api/v2/entity} each (32 KB at most). A partial success (207) lists the
 * refused entities in {@code errors[]} by {@code batch_index}. Settings: {@code siteId}, {@code apiKey},
 * {@code region} ({@code us} | {@code eu}), {@code baseUrl} (overrides the region), {@code bulk},
 * {@code rateLimit.<endpoint>}.
 */
@ApplicationScoped
public class CustomerIoDestination implements Destination {
    public static final String TYPE = "customerio";
    public static final String TRACK_EVENT = "trackEvent";
    public static final String IDENTIFY = "identify";
    private static final String US = "https://track.customer.io";
    private static final String EU = "https://track-eu.customer.io";

    /** Customer.io asks Track API callers to stay around 100 requests per second. */
    static final Endpoint ENTITY = new Endpoint("entity", 1, 32 * 1024, 100);
    static final Endpoint BATCH = new Endpoint("batch", 100, 500 * 1024, 100);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Route route(String action, boolean identify, Map<String, String> settings) {
        if (!TRACK_EVENT.equals(action) && !IDENTIFY.equals(action)) {
            throw new CannotSend("unsupported_action: " + action);
        }
        Destination.requireSettings(settings, "siteId", "apiKey");
        String credentials = settings.get("siteId").strip() + ":" + settings.get("apiKey").strip();
        Map<String, String> headers = Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        Function<Map<String, Object>, Object> builder = identify || IDENTIFY.equals(action)
                ? CustomerIoEntity::identify : CustomerIoEntity::event;
        return Destination.bulk(settings, true)
                ? new JsonApiRoute(BATCH, baseUrl(settings) + "/api/v2/batch", "batch", headers, builder, "message",
                CustomerIoDestination::refusedIn)
                : new JsonApiRoute(ENTITY, baseUrl(settings) + "/api/v2/entity", null, headers, builder, "message",
                JsonApiRoute.RefusedItems.NONE);
    }

    static String baseUrl(Map<String, String> settings) {
        return Destination.baseUrl(settings, "region", US, EU);
    }

    /** A 207's {@code errors: [{"batch_index": 3, "reason": "...", "field": "...", "message": "..."}]}. */
    private static Map<Integer, String> refusedIn(JsonNode reply, List<Map<String, Object>> messages) {
        Map<Integer, String> refused = new HashMap<>();
        reply.path("errors").forEach(error -> {
            JsonNode index = error.path("batch_index");
            if (index.canConvertToInt() && index.asInt() >= 0 && index.asInt() < messages.size()) {
                String why = error.path("message").asText(error.path("reason").asText("refused"));
                String field = error.path("field").asText("");
                refused.putIfAbsent(index.asInt(), "customer.io: " + why + (field.isEmpty() ? "" : " (" + field + ")"));
            }
        });
        return refused;
    }
}
