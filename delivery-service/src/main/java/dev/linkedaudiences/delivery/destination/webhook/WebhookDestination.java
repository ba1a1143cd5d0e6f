package dev.linkedaudiences.delivery.destination.webhook;

import dev.linkedaudiences.delivery.destination.CannotSend;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.Endpoint;
import dev.linkedaudiences.delivery.destination.Route;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends to a webhook (events.md): the {@code send} action posts the Segment message itself (track or identify) as
 * JSON to the {@code url} setting, or with {@code bulk=true} up to 100 of them as {@code {"batch": [...]}}, signed in
 * {@code X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with secret>}. Every setting
 * {@code header.<Name>} adds the header {@code <Name>} (it cannot replace the signature nor the content type).
 * Rate limits (ours, no webhook publishes one): {@code send} 100/s, {@code batch} 20/s.
 */
@ApplicationScoped
public class WebhookDestination implements Destination {
    public static final String TYPE = "webhook";
    public static final String SEND = "send";
    public static final String SIGNATURE_HEADER = "X-Signature-256";
    static final String HEADER_PREFIX = "header.";
    private static final int FOUR_MB = 4 * 1024 * 1024;
    static final Endpoint SINGLE = new Endpoint("send", 1, FOUR_MB, 100);
    static final Endpoint BATCH = new Endpoint("batch", 100, FOUR_MB, 20);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Route route(String action, boolean identify, Map<String, String> settings) {
        if (!SEND.equals(action)) {
            throw new CannotSend("unsupported_action: " + action);
        }
        Destination.requireSettings(settings, "url");
        String secret = settings.get("secret");
        if (secret == null || secret.isEmpty()) {
            throw new CannotSend("missing_setting: secret");
        }
        boolean bulk = Destination.bulk(settings, false);
        return new WebhookRoute(bulk ? BATCH : SINGLE, settings.get("url").strip(), bulk ? "batch" : null,
                extraHeaders(settings), secret);
    }

    private record WebhookRoute(Endpoint endpoint, String url, String batchField, Map<String, String> extraHeaders,
                                String secret) implements Route {
        @Override
        public boolean sendsMessageAsIs() {
            return true;
        }

        @Override
        public Object item(Map<String, Object> message) {
            return message;
        }

        @Override
        public Map<String, String> headers(byte[] body) {
            Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
            headers.put(SIGNATURE_HEADER, signature(secret, body));
            return headers;
        }

        @Override
        public String messageField() {
            return "message";
        }

        @Override
        public String toString() {
            return "WebhookRoute[" + url + "]"; // never the secret
        }
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
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
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
