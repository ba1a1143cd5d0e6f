package dev.linkedaudiences.delivery.destination;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12, finding 7: a destination's reply loses its secrets and its length before anyone keeps it. */
class SecretScrubberTest {
    private final SecretScrubber scrubber = SecretScrubber.of(Map.of("apiKey", "KEY-123456789", "siteId", "site-1",
            "header.Authorization", "Bearer TOKEN-abcdefgh", "url", "https://example.com"));

    @Test
    void everySecretAndTheFormsARepliesEchoesAreMasked() {
        String basic = Base64.getEncoder().encodeToString("site-1:KEY-123456789".getBytes(StandardCharsets.UTF_8));
        String scrubbed = scrubber.scrub("{\"msg\":\"Invalid API key KEY-123456789\",\"auth\":\"Bearer TOKEN-abcdefgh\","
                + "\"token\":\"TOKEN-abcdefgh\",\"basic\":\"Basic " + basic + "\",\"url\":\"https://example.com\"}");
        assertFalse(scrubbed.contains("KEY-123456789") || scrubbed.contains("TOKEN-abcdefgh") || scrubbed.contains(basic), scrubbed);
        assertTrue(scrubbed.contains("Invalid API key ***"), scrubbed);
        assertTrue(scrubbed.contains("https://example.com"), "settings that are not secrets stay: " + scrubbed);
    }

    @Test
    void valuesTooShortToBeSecretsLeaveTheTextReadable() {
        assertEquals("url_not_allowed: 10.0.0.1 is not a public address",
                SecretScrubber.of(Map.of("secret", "s", "apiKey", "bz")).scrub("url_not_allowed: 10.0.0.1 is not a public address"));
    }

    @Test
    void longRepliesAreCutAfterScrubbing() {
        String reply = "y".repeat(SecretScrubber.MAX_CHARS - 4) + "KEY-123456789" + "z".repeat(5000);
        String scrubbed = scrubber.scrub(reply);
        assertTrue(scrubbed.length() <= SecretScrubber.MAX_CHARS + 10, "length " + scrubbed.length());
        assertFalse(scrubbed.contains("KEY-"), "no prefix of a secret survives the cut");
    }

    @Test
    void aBatchAnswerSharedByItsItemsIsScrubbedOnce() {
        DeliveryResult refused = DeliveryResult.answered(401, "HTTP 401: bad KEY-123456789", null, "{\"key\":\"KEY-123456789\"}");
        List<DeliveryResult> scrubbed = scrubber.scrubAll(List.of(refused, refused, DeliveryResult.notSendable("missing_identifier")));
        assertEquals("HTTP 401: bad ***", scrubbed.get(0).reason());
        assertEquals("{\"key\":\"***\"}", scrubbed.get(0).reply());
        assertSame(scrubbed.get(0), scrubbed.get(1));
        assertEquals("missing_identifier", scrubbed.get(2).reason());
    }
}
