package dev.linkedaudiences.delivery.destination;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RateLimiter} of every (destination, endpoint) this instance sends to. Limits are per instance: with
 * two instances, each sends at up to the configured rate (configure half the destination's limit then). The rate
 * is the endpoint's default unless the destination's {@code rateLimit.<endpoint>} setting (requests per second)
 * says otherwise; a changed setting starts a fresh limiter.
 */
@ApplicationScoped
public class RateLimits {
    public static final String SETTING_PREFIX = "rateLimit.";

    private record Key(String destinationId, String endpoint, double rate) {
    }

    private final Map<Key, RateLimiter> limiters = new ConcurrentHashMap<>();

    public RateLimiter forEndpoint(String destinationId, Endpoint endpoint, Map<String, String> settings) {
        Key key = new Key(destinationId, endpoint.name(), rate(endpoint, settings));
        return limiters.computeIfAbsent(key, k -> new RateLimiter(k.rate(), System.nanoTime()));
    }

    /** The configured rate of {@code endpoint}: its setting when it is a positive number, else the default. */
    public static double rate(Endpoint endpoint, Map<String, String> settings) {
        String setting = settings.get(SETTING_PREFIX + endpoint.name());
        if (setting != null && !setting.isBlank()) {
            try {
                double rate = Double.parseDouble(setting.strip());
                if (rate > 0 && Double.isFinite(rate)) {
                    return rate;
                }
            } catch (NumberFormatException e) {
                // the default below; audience-service refuses such a setting
            }
        }
        return endpoint.requestsPerSecond();
    }
}
