package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.url.OutgoingHeaders;
import dev.linkedaudiences.contracts.url.OutgoingUrlPolicy;
import dev.linkedaudiences.delivery.DeliveryConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.Inet6Address;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How every destination sends: a JSON POST with its headers, and the answer as a {@link DeliveryResult} (the
 * status, which the shared retry policy classifies; {@code Retry-After}; and for a refusal, the destination's
 * own explanation from its reply's {@code messageField}, else the reply quoted and shortened). A request that
 * gets no answer is a network error.
 * <p>
 * The request goes to the address the {@link UrlPolicy} checked, never to a second lookup of the host, while the
 * {@code Host} header, TLS SNI and the certificate check keep the URL's host (Vert.x connects to the
 * {@link RequestOptions#setServer server} address and speaks to the request's host). Redirects are not followed
 * ({@link DestinationHttpClient}): a 3xx answer is a failure, whatever it points to. A header that
 * {@link OutgoingHeaders} refuses (CR/LF in a value, a {@code Host} override) fails the request unsent.
 */
@ApplicationScoped
public class JsonPost {
    private static final int MAX_REASON_LENGTH = 300;

    private final WebClient http;
    private final ObjectMapper json;
    private final long timeoutMillis;

    @jakarta.inject.Inject
    public JsonPost(WebClient http, ObjectMapper json, DeliveryConfig config) {
        this(http, json, config.httpTimeout().toMillis());
    }

    /** For tests that send without the application. */
    public JsonPost(WebClient http, ObjectMapper json, long timeoutMillis) {
        this.http = http;
        this.json = json;
        this.timeoutMillis = timeoutMillis;
    }

    /** The bytes a body is sent as (a destination that signs its body signs these). */
    public byte[] bytes(Object body) throws JsonProcessingException {
        return json.writeValueAsBytes(body);
    }

    /** A reply body as JSON; a missing node when it is not JSON. */
    public JsonNode readReply(String reply) {
        try {
            return reply == null || reply.isBlank() ? json.missingNode() : json.readTree(reply);
        } catch (JsonProcessingException notJson) {
            return json.missingNode();
        }
    }

    public Uni<DeliveryResult> send(OutgoingUrlPolicy.Resolved to, Map<String, String> headers, byte[] body, String messageField) {
        OutgoingUrlPolicy.Target target = to.target();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            Optional<String> refusal = OutgoingHeaders.refusal(header.getKey(), header.getValue());
            if (refusal.isPresent()) { // saved before audience-service checked headers, or built wrong
                return Uni.createFrom().item(DeliveryResult.notSendable("invalid_header: " + refusal.get()));
            }
        }
        return Uni.createFrom().completionStage(() -> {
                    RequestOptions options = new RequestOptions().setHost(target.host()).setPort(target.port())
                            .setSsl(target.ssl()).setURI(target.requestUri());
                    SocketAddress checked = SocketAddress.inetSocketAddress(target.port(), to.address().getHostAddress());
                    HttpRequest<Buffer> request = http.request(HttpMethod.POST, checked, options).timeout(timeoutMillis);
                    headers.forEach(request::putHeader);
                    if (target.literal() instanceof Inet6Address) { // Vert.x would write the address without brackets
                        request.putHeader("Host", "[" + target.host() + "]:" + target.port());
                    }
                    return request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).toCompletionStage();
                })
                .map(response -> result(response, messageField))
                .onFailure().recoverWithItem(DeliveryResult::networkError);
    }

    private DeliveryResult result(HttpResponse<Buffer> response, String messageField) {
        int status = response.statusCode();
        String reply = response.bodyAsString();
        String reason = status >= 200 && status < 300 ? null
                : status >= 300 && status < 400 ? "HTTP " + status + ": a redirect, not followed (a destination answers at its configured URL)"
                : "HTTP " + status + ": " + explanation(reply, messageField);
        return DeliveryResult.answered(status, reason,
                DeliveryResult.parseRetryAfter(response.getHeader("Retry-After"), Instant.now()), reply);
    }

    private String explanation(String body, String messageField) {
        if (body == null || body.isBlank()) {
            return "(empty reply)";
        }
        try {
            JsonNode message = json.readTree(body).path(messageField);
            if (message.isTextual() && !message.asText().isBlank()) {
                return message.asText();
            }
        } catch (JsonProcessingException notJson) {
            // quoted below
        }
        return body.length() > MAX_REASON_LENGTH ? body.substring(0, MAX_REASON_LENGTH) + "..." : body;
    }
}
