package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.CannotSend;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.Endpoint;
import dev.linkedaudiences.delivery.destination.JsonApiRoute;
import dev.linkedaudiences.delivery.destination.Route;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.function.Function;

/**
 * Sends to Iterable (events.md) with the project's key in {@code Api-Key}: {@code trackEvent} to
 * {@code /api/events/track}, {@code updateUser} (and every identify message) to {@code /api/users/update}; with
 * the setting {@code bulk=true}, to {@code /api/events/trackBulk} and {@code /api/users/bulkUpdate} instead,
 * per-item failures of the reply handled item by item ({@link IterableBulkReply}). Iterable processes bulk and
 * single requests separately, so an activation uses one kind only: a profile's events never overtake each other.
 * Settings: {@code apiKey}, {@code dataCenter} ({@code us} | {@code eu}), {@code baseUrl} (overrides both),
 * {@code bulk}, {@code rateLimit.<endpoint>}.
 */
@ApplicationScoped
public class IterableDestination implements Destination {
    public static final String TYPE = "iterable";
    public static final String TRACK_EVENT = "trackEvent";
    public static final String UPDATE_USER = "updateUser";
    private static final String US = "https://api.iterable.com";
    private static final String EU = "https://api.eu.iterable.com";
    private static final int FOUR_MB = 4 * 1024 * 1024;

    /** The published limits per project (events.md). */
    static final Endpoint TRACK = new Endpoint("track", 1, FOUR_MB, 2000);
    static final Endpoint TRACK_BULK = new Endpoint("trackBulk", 1000, FOUR_MB, 10);
    static final Endpoint UPDATE = new Endpoint("update", 1, FOUR_MB, 500);
    static final Endpoint BULK_UPDATE = new Endpoint("bulkUpdate", 1000, FOUR_MB, 5);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Route route(String action, boolean identify, Map<String, String> settings) {
        if (!TRACK_EVENT.equals(action) && !UPDATE_USER.equals(action)) {
            throw new CannotSend("unsupported_action: " + action);
        }
        Destination.requireSettings(settings, "apiKey");
        boolean bulk = Destination.bulk(settings, false);
        String base = baseUrl(settings);
        Map<String, String> headers = Map.of("Api-Key", settings.get("apiKey"));
        if (identify || UPDATE_USER.equals(action)) {
            return bulk ? route(BULK_UPDATE, base + "/api/users/bulkUpdate", "users", headers, IterableUpdateUser::item)
                    : route(UPDATE, base + "/api/users/update", null, headers, IterableUpdateUser::item);
        }
        return bulk ? route(TRACK_BULK, base + "/api/events/trackBulk", "events", headers, IterableTrackEvent::item)
                : route(TRACK, base + "/api/events/track", null, headers, IterableTrackEvent::item);
    }

    static String baseUrl(Map<String, String> settings) {
        return Destination.baseUrl(settings, "dataCenter", US, EU);
    }

    /** Iterable explains a refusal in the {@code msg} of its JSON reply; a bulk reply names the items it refused. */
    private static Route route(Endpoint endpoint, String url, String batchField, Map<String, String> headers,
                               Function<Map<String, Object>, Object> builder) {
        return new JsonApiRoute(endpoint, url, batchField, headers, builder, "msg",
                batchField == null ? JsonApiRoute.RefusedItems.NONE : IterableBulkReply::refusedItems);
    }
}
