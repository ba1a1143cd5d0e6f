package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Instant;

/**
 * A destination's HTTP answer as a {@link DeliveryResult}: the status (which the shared retry policy classifies),
 * {@code Retry-After}, and for a refusal a reason taken from the named field of a JSON reply, else the reply quoted
 * and shortened.
 */
public final class HttpReplies {
    private static final int MAX_REASON_LENGTH = 300;

    private HttpReplies() {
    }

    public static DeliveryResult result(HttpResponse<Buffer> response, ObjectMapper json, String messageField) {
        int status = response.statusCode();
        String reason = status >= 200 && status < 300 ? null
                : "HTTP " + status + ": " + explanation(response.bodyAsString(), json, messageField);
        return DeliveryResult.answered(status, reason,
                DeliveryResult.parseRetryAfter(response.getHeader("Retry-After"), Instant.now()));
    }

    static String explanation(String body, ObjectMapper json, String messageField) {
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
