package dev.linkedaudiences.delivery.destination;

/**
 * One API endpoint of a destination type, as far as sending is concerned: its name (the key of its rate limit and
 * of the {@code rateLimit.<name>} setting that overrides it), how many messages one request may carry and how
 * large its body may be, and the published (or, where none is published, our own) request rate it is held to.
 *
 * @param maxItems           messages per request; 1 for an endpoint that takes one message
 * @param maxBytes           the largest body, in bytes
 * @param requestsPerSecond  the default rate limit of the endpoint
 */
public record Endpoint(String name, int maxItems, int maxBytes, double requestsPerSecond) {

    public boolean batched() {
        return maxItems > 1;
    }
}
