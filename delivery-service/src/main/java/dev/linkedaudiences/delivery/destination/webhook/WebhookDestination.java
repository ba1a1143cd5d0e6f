package dev.linkedaudiences.delivery.destination.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.JsonPost;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Sends to a webhook (events.md): the {@code send} action posts the Segment message itself as JSON to the
 * {@code url} setting, signed in {@code X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with secret>}.
 * Every setting {@code header.<Name>} adds the header {@code <Name>} (it cannot replace the signature nor the
 * content type). The URL is called as given.
 */
@ApplicationScoped
public class WebhookDestination implements Destination {
    public static final String TYPE = "webhook";
    public static final String SEND = "send";
    public static final String SIGNATURE_HEADER = "X-Signature-256";
    static final String HEADER_PREFIX = "header.";

    private final JsonPost post;

    public WebhookDestination(JsonPost post) {
        this.post = post;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<DeliveryResult> send(String action, Map<String, Object> message, Map<String, String> settings) {
        if (!SEND.equals(action)) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unsupported_action: " + action));
        }
        if (Destination.missingSetting(settings, "url").isPresent()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: url"));
        }
        String secret = settings.get("secret");
        if (secret == null || secret.isEmpty()) {
            return Uni.createFrom().item(DeliveryResult.notSendable("missing_setting: secret"));
        }
        byte[] body;
        try {
            body = post.bytes(message);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.notSendable("unserializable_message"));
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>(extraHeaders(settings));
        headers.put(SIGNATURE_HEADER, signature(secret, body));
        return post.send(settings.get("url"), headers, body, "message");
    }

    /** {@code sha256=} and the lowercase hex HMAC-SHA256 of {@code body} keyed with {@code secret} (UTF-8). */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The headers of the {@code header.<Name>} settings, by name; blank names and the signed ones are left out. */
    static Map<String, String> extraHeaders(Map<String, String> settings) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        settings.forEach((key, value) -> {
            if (key.startsWith(HEADER_PREFIX) && value != null) {
                String name = key.substring(HEADER_PREFIX.length()).trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase(SIGNATURE_HEADER) && !name.equalsIgnoreCase("Content-Type")) {
                    headers.put(name, value);
                }
            }
        });
        return headers;
    }
}
