package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutgoingMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void storedTextIsSentAsItIsAndParsedOnlyOnDemand() throws Exception {
        String stored = "{\"properties\": {\"type\": \"identify\"}, \"type\": \"track\", \"messageId\": \"m1\", \"n\": 1.50}";
        OutgoingMessage message = OutgoingMessage.ofJson(stored, JSON);

        assertFalse(message.identify(), "the top-level type, not a nested one");
        assertEquals(stored, new String(message.bytes(), StandardCharsets.UTF_8));
        assertEquals("m1", message.fields().get("messageId"));
    }

    @Test
    void identifyMessagesAreRecognisedFromTextOrFields() throws Exception {
        assertTrue(OutgoingMessage.ofJson("{\"messageId\": \"m2\", \"traits\": {}, \"type\": \"identify\"}", JSON).identify());
        assertFalse(OutgoingMessage.ofJson("{\"messageId\": \"m3\"}", JSON).identify());
        OutgoingMessage parsed = OutgoingMessage.of(Map.of("type", "identify", "messageId", "m4"), JSON);
        assertTrue(parsed.identify());
        assertEquals(Map.of("type", "identify", "messageId", "m4"), JSON.readValue(parsed.bytes(), Map.class));
    }
}
