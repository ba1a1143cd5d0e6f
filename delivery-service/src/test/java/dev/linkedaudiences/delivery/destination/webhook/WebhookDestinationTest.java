package dev.linkedaudiences.delivery.destination.webhook;

import dev.linkedaudiences.delivery.destination.LocalServerTest;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook request as a real local server receives it. */
class WebhookDestinationTest extends LocalServerTest {
    private static final String SECRET = "s3cr3t-ünïcode";

    private final WebhookDestination webhook = new WebhookDestination();

    private static Map<String, Object> message() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "track");
        message.put("event", "abandoned_carts_linked_audience");
        message.put("messageId", "01JDQ5Y8G0R4V7K2M9T3X6B1ZC");
        message.put("timestamp", "2026-11-24T08:00:00Z");
        message.put("userId", "u123");
        message.put("context", Map.of("traits", Map.of("email", "andrew@example.com")));
        message.put("properties", Map.of("first_name", "Andrée", "items", List.of(1, 2)));
        return message;
    }

    private DeliveryResult send(Map<String, Object> message, Map<String, String> settings) {
        return sender.send(webhook, "send", message, settings);
    }

    @Test
    void postsTheMessageSignedOverTheRawBody() throws Exception {
        DeliveryResult result = send(message(), Map.of("url", server.baseUrl() + "/hooks/la", "secret", SECRET,
                "header.X-Team", "growth"));

        assertTrue(result.succeeded(), String.valueOf(result));
        List<RecordedRequest> requests = server.requests();
        assertEquals(1, requests.size());
        RecordedRequest request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/hooks/la", request.path());
        assertTrue(request.headers().get("content-type").startsWith("application/json"));
        assertEquals("growth", request.headers().get("x-team"));
        assertEquals(message(), json.readValue(request.body(), Map.class));

        // Computed independently of the destination: HMAC-SHA256 of the received bytes, keyed with the secret.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, request.headers().get("x-signature-256"));
        assertTrue(expected.matches("sha256=[0-9a-f]{64}"));
    }

    @Test
    void extraHeadersCannotReplaceTheSignature() {
        Map<String, String> headers = WebhookDestination.extraHeaders(Map.of("url", "u", "secret", "s",
                "header.X-Team", "growth", "header.x-signature-256", "forged", "header.Content-Type", "text/plain",
                "header. ", "blank"));
        assertEquals(Map.of("X-Team", "growth"), headers);
    }

    @Test
    void answersAreClassifiedLikeEveryDestinations() {
        server.failNext(1, 500, Map.of("Retry-After", "7"));
        DeliveryResult failed = send(message(), Map.of("url", server.baseUrl(), "secret", SECRET));
        assertFalse(failed.succeeded());
        assertEquals(DeliveryResult.Kind.ANSWERED, failed.kind());
        assertEquals(500, failed.status());
        assertEquals("HTTP 500: {\"msg\":\"injected fault\",\"code\":\"GenericError\"}", failed.reason());
        assertEquals(Duration.ofSeconds(7), failed.retryAfter());

        DeliveryResult ok = send(message(), Map.of("url", server.baseUrl(), "secret", SECRET));
        assertTrue(ok.succeeded());
        assertNull(ok.reason());
    }

    @Test
    void withoutUrlOrSecretNothingIsSent() {
        assertEquals("missing_setting: url", send(message(), Map.of("secret", SECRET)).reason());
        assertEquals("missing_setting: secret", send(message(), Map.of("url", server.baseUrl())).reason());
        assertEquals("unsupported_action: trackEvent",
                sender.send(webhook, "trackEvent", message(), Map.of("url", server.baseUrl(), "secret", SECRET)).reason());
        assertEquals(0, server.requests().size());
    }
}
