package dev.linkedaudiences.delivery.destination;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RateLimiter} of every (destination, endpoint) this instance sends to. A destination's limit holds across
 * the instances: each applies the configured rate divided by the number of live instances ({@link LiveInstances},
 * docs/adr/0007). The rate is the endpoint's default unless the destination's {@code rateLimit.<endpoint>} setting
 * (requests per second) says otherwise; a changed setting or number of instances starts a fresh limiter.
 */
@ApplicationScoped
public class RateLimits {
    public static final String SETTING_PREFIX = "rateLimit.";

    private record Key(String destinationId, String endpoint, double rate) {
    }

    private final Map<Key, RateLimiter> limiters = new ConcurrentHashMap<>();
    private volatile int instances = 1;

    public RateLimiter forEndpoint(String destinationId, Endpoint endpoint, Map<String, String> settings) {
        Key key = new Key(destinationId, endpoint.name(), rate(endpoint, settings) / instances);
        return limiters.computeIfAbsent(key, k -> new RateLimiter(k.rate(), System.nanoTime()));
    }

    /** How many instances share every destination's limit (this one included). */
    public void shareBetween(int liveInstances) {
        instances = Math.max(1, liveInstances);
    }

    public int instances() {
        return instances;
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
