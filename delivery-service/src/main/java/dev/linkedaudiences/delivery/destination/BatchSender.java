package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.linkedaudiences.contracts.url.OutgoingUrlPolicy;
import dev.linkedaudiences.delivery.DeliveryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayOutputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends messages of one activation to its destination, in as few requests as its endpoints allow, and answers one
 * {@link DeliveryResult} per message, in order. For each kind of message (identify or not) it asks the
 * {@link Destination} for the {@link Route}, checks the URL against the {@link UrlPolicy} and resolves its host once
 * (on a worker; every address it resolves to must be public, and every request of the send goes to the address that
 * was checked, never looked up again), lets the route refuse messages it cannot take, cuts the rest into requests of at most {@link Endpoint#maxItems()} items and
 * {@link Endpoint#maxBytes()} bytes, waits for the endpoint's {@link RateLimiter} (or puts the request off when
 * the wait is too long), sends, and hands the reply of an accepted request to the route to find the items it
 * refused. A 429 slows the endpoint's limiter down. A host that does not resolve is a network error (retried, like
 * a connection that fails); an address that is not public fails the messages as {@code url_not_allowed}, unsent.
 * <p>
 * Never fails: every problem is a result. Every result's reason and reply are cut and scrubbed of the destination's
 * secrets ({@link SecretScrubber}) before they leave: they are stored, logged and shown.
 */
@ApplicationScoped
public class BatchSender {
    private static final byte[] ARRAY_END = "]}".getBytes(StandardCharsets.UTF_8);

    private final JsonPost post;
    private final RateLimits rateLimits;
    private final UrlPolicy urlPolicy;
    private final Vertx vertx;
    private final long maxWaitNanos;
    private final MeterRegistry registry;

    @Inject
    public BatchSender(JsonPost post, RateLimits rateLimits, UrlPolicy urlPolicy, Vertx vertx, DeliveryConfig config,
                       MeterRegistry registry) {
        this(post, rateLimits, urlPolicy, vertx, config.rateLimitMaxWait(), registry);
    }

    /** For tests that send without the application. */
    public BatchSender(JsonPost post, RateLimits rateLimits, UrlPolicy urlPolicy, Vertx vertx, Duration maxWait,
                       MeterRegistry registry) {
        this.post = post;
        this.rateLimits = rateLimits;
        this.urlPolicy = urlPolicy;
        this.vertx = vertx;
        this.maxWaitNanos = maxWait.toNanos();
        this.registry = registry != null ? registry : Metrics.globalRegistry;
    }

    /**
     * @param destinationId the configured destination: its endpoints' rate limits are its own
     * @return one result per message, in the order of {@code messages}
     */
    public Uni<List<DeliveryResult>> send(Destination destination, String destinationId, String action,
                                          List<OutgoingMessage> messages, Map<String, String> settings) {
        DeliveryResult[] results = new DeliveryResult[messages.size()];
        List<Uni<Void>> kinds = new ArrayList<>();
        List<Integer> tracks = new ArrayList<>();
        List<Integer> identifies = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            (messages.get(i).identify() ? identifies : tracks).add(i);
        }
        for (boolean identify : new boolean[]{false, true}) {
            List<Integer> ofKind = identify ? identifies : tracks;
            if (!ofKind.isEmpty()) {
                kinds.add(sendKind(destination, destinationId, action, identify, messages, ofKind, settings, results));
            }
        }
        Uni<Void> all = joined(kinds);
        SecretScrubber scrubber = SecretScrubber.of(settings);
        return all.map(done -> scrubber.scrubAll(Arrays.asList(results)));
    }

    private static Uni<Void> joined(List<Uni<Void>> unis) {
        return unis.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(unis).andCollectFailures().replaceWithVoid();
    }

    private Uni<Void> sendKind(Destination destination, String destinationId, String action, boolean identify,
                               List<OutgoingMessage> messages, List<Integer> indexes,
                               Map<String, String> settings, DeliveryResult[] results) {
        Route route;
        OutgoingUrlPolicy.Target target;
        try {
            route = destination.route(action, identify, settings);
            target = urlPolicy.require(route.url());
        } catch (CannotSend e) {
            indexes.forEach(i -> results[i] = DeliveryResult.notSendable(e.getMessage()));
            return Uni.createFrom().voidItem();
        }
        return resolve(target).onItemOrFailure().transformToUni((resolved, failure) -> {
            if (failure instanceof CannotSend refused) {
                indexes.forEach(i -> results[i] = DeliveryResult.notSendable(refused.getMessage()));
                return Uni.createFrom().voidItem();
            }
            if (failure != null) {
                DeliveryResult unresolved = DeliveryResult.networkError(failure instanceof UnknownHostException
                        ? new UnknownHostException(target.host() + " does not resolve") : failure);
                indexes.forEach(i -> results[i] = unresolved);
                return Uni.createFrom().voidItem();
            }
            return joined(sendBatches(route, resolved, destinationId, destination.type(), messages, indexes, settings, results));
        });
    }

    /**
     * The checked address of {@code target}: at once for an address, else one lookup on a worker (the caller's
     * Vert.x context, where the dispatcher's database session lives, gets the answer).
     */
    private Uni<OutgoingUrlPolicy.Resolved> resolve(OutgoingUrlPolicy.Target target) {
        if (target.literal() != null) {
            return Uni.createFrom().item(() -> {
                try {
                    return urlPolicy.resolve(target);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("an address needs no lookup", e);
                }
            });
        }
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(() -> urlPolicy.resolve(target), false).toCompletionStage());
    }

    private List<Uni<Void>> sendBatches(Route route, OutgoingUrlPolicy.Resolved to, String destinationId, String type,
                                        List<OutgoingMessage> messages, List<Integer> indexes,
                                        Map<String, String> settings, DeliveryResult[] results) {
        Endpoint endpoint = route.endpoint();
        List<Request> batches = new ArrayList<>();
        Request current = null;
        for (int i : indexes) {
            byte[] item;
            try {
                if (route.sendsMessageAsIs()) {
                    item = messages.get(i).bytes();
                } else {
                    Map<String, Object> message = messages.get(i).fields();
                    Optional<String> refusal = route.refusal(message);
                    if (refusal.isPresent()) {
                        results[i] = DeliveryResult.notSendable(refusal.get());
                        continue;
                    }
                    item = post.bytes(route.item(message));
                }
            } catch (JsonProcessingException | RuntimeException e) {
                results[i] = DeliveryResult.notSendable("unserializable_message");
                continue;
            }
            if (item.length + 64 > endpoint.maxBytes()) {
                results[i] = DeliveryResult.notSendable("payload_too_large: over " + endpoint.maxBytes() + " bytes for " + endpoint.name());
                continue;
            }
            if (current == null || !current.fits(item, endpoint)) {
                current = new Request();
                batches.add(current);
            }
            current.add(i, item);
        }
        RateLimiter limiter = rateLimits.forEndpoint(destinationId, endpoint, settings);
        List<Uni<Void>> sends = new ArrayList<>();
        int deferred = 0;
        for (Request request : batches) {
            RateLimiter.Permit permit = limiter.acquire(System.nanoTime(), maxWaitNanos, deferred);
            if (!permit.granted()) {
                deferred++;
                DeliveryResult later = DeliveryResult.deferred(permit.delay(), "rate_limited: " + endpoint.name());
                request.indexes.forEach(i -> results[i] = later);
                continue;
            }
            sends.add(delay(permit.delay())
                    .chain(() -> sendRequest(route, to, limiter, type, request, messages))
                    .invoke(itemResults -> {
                        for (int k = 0; k < request.indexes.size(); k++) {
                            results[request.indexes.get(k)] = itemResults.get(k);
                        }
                    })
                    .replaceWithVoid());
        }
        return sends;
    }

    private Uni<List<DeliveryResult>> sendRequest(Route route, OutgoingUrlPolicy.Resolved to, RateLimiter limiter, String type,
                                                  Request request, List<OutgoingMessage> messages) {
        byte[] body = request.body(route.batchField());
        return post.send(to, route.headers(body), body, route.messageField()).map(result -> {
            registry.counter("la.delivery.requests", "destination", type, "endpoint", route.endpoint().name(),
                    "status", result.kind() == DeliveryResult.Kind.ANSWERED ? String.valueOf(result.status()) : "none").increment();
            if (result.status() == 429) {
                limiter.throttled(result.retryAfter(), System.nanoTime());
            }
            List<DeliveryResult> perItem = new ArrayList<>(request.indexes.size());
            Map<Integer, String> refused = result.succeeded()
                    ? route.refusedItems(post.readReply(result.reply()), fieldsOf(request, messages))
                    : Map.of();
            for (int k = 0; k < request.indexes.size(); k++) {
                String reason = refused.get(k);
                perItem.add(reason == null ? result : DeliveryResult.itemRefused(result, reason));
            }
            return perItem;
        });
    }

    /** The fields of the request's messages, each parsed only if the route reads it. */
    private static List<Map<String, Object>> fieldsOf(Request request, List<OutgoingMessage> messages) {
        return new AbstractList<>() {
            @Override
            public Map<String, Object> get(int k) {
                return messages.get(request.indexes.get(k)).fields();
            }

            @Override
            public int size() {
                return request.indexes.size();
            }
        };
    }

    /** Completes after {@code wait}, on the Vert.x context it was subscribed on (where the dispatcher's work lives). */
    private Uni<Void> delay(Duration wait) {
        long millis = wait.toMillis();
        if (millis <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(millis, id -> emitter.complete(null)));
    }

    /** The items of one request, by the index of their message. */
    private static final class Request {
        final List<Integer> indexes = new ArrayList<>();
        final List<byte[]> items = new ArrayList<>();
        int bytes;

        boolean fits(byte[] item, Endpoint endpoint) {
            return items.size() < endpoint.maxItems() && bytes + item.length + items.size() + 64 <= endpoint.maxBytes();
        }

        void add(int index, byte[] item) {
            indexes.add(index);
            items.add(item);
            bytes += item.length;
        }

        /** The item itself, or {@code {"<field>":[item,...]}}. */
        byte[] body(String batchField) {
            if (batchField == null) {
                return items.get(0);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + items.size() + batchField.length() + 8);
            out.writeBytes(("{\"" + batchField + "\":[").getBytes(StandardCharsets.UTF_8));
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) {
                    out.write(',');
                }
                out.writeBytes(items.get(k));
            }
            out.writeBytes(ARRAY_END);
            return out.toByteArray();
        }
    }
}
