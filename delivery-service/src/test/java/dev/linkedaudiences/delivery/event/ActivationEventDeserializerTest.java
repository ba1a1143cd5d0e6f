package dev.linkedaudiences.delivery.event;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationEventDeserializerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ActivationEventDeserializer deserializer = new ActivationEventDeserializer();

    @Test
    void keepsTheMessageAsTheExactJsonItArrivedAs() throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "track");
        message.put("event", "Audience Entered");
        message.put("messageId", "01JDQ5Y8G0R4V7K2M9T3X6B1ZC");
        message.put("userId", "u123");
        message.put("properties", Map.of("first_name", "Zoë", "city", "東京", "price", 1.5,
                "products", List.of(Map.of("id", "324", "__entity", "product"))));
        ActivationEvent event = new ActivationEvent("a1", "aud1", "run1", "p1", "profile_entered", message);
        byte[] record = JSON.writeValueAsBytes(event);

        ReceivedEvent received = deserializer.deserialize("activation-events", record);

        assertEquals("a1", received.activationId());
        assertEquals("aud1", received.audienceId());
        assertEquals("run1", received.runId());
        assertEquals("p1", received.profileId());
        assertEquals("profile_entered", received.trigger());
        assertNull(received.filteredAtSource());
        assertEquals("01JDQ5Y8G0R4V7K2M9T3X6B1ZC", received.messageId());
        assertEquals("Audience Entered", received.eventName());
        assertEquals(JSON.writeValueAsString(message), received.messageJson(), "the message's bytes, multi-byte characters included");
        assertEquals(message, JSON.readValue(received.messageJson(), new TypeReference<Map<String, Object>>() { }));
        assertTrue(ReceivedEvent.usable(received));
    }

    @Test
    void anIdentifyMessageIsNamedByItsTypeAndFieldsMayComeInAnyOrder() {
        String record = """
                {"message": {"traits": {"abandoned_carts": true}, "messageId": "m2", "type": "identify"},
                 "filteredAtSource": "payload_too_large", "profileId": "p2", "activationId": "a2", "extra": [1, {"x": 2}]}""";

        ReceivedEvent received = deserializer.deserialize("activation-events", record.getBytes(StandardCharsets.UTF_8));

        assertEquals("identify", received.eventName());
        assertEquals("m2", received.messageId());
        assertEquals("payload_too_large", received.filteredAtSource());
        assertEquals("{\"traits\": {\"abandoned_carts\": true}, \"messageId\": \"m2\", \"type\": \"identify\"}", received.messageJson());
    }

    @Test
    void aRecordWithoutAMessageOrMessageIdIsNotUsableAndBrokenJsonIsRefused() {
        assertFalse(ReceivedEvent.usable(deserializer.deserialize("t", "{\"activationId\":\"a\",\"profileId\":\"p\"}".getBytes(StandardCharsets.UTF_8))));
        assertFalse(ReceivedEvent.usable(deserializer.deserialize("t",
                "{\"activationId\":\"a\",\"profileId\":\"p\",\"message\":{\"messageId\":7}}".getBytes(StandardCharsets.UTF_8))));
        assertNull(deserializer.deserialize("t", null));
        assertThrows(SerializationException.class, () -> deserializer.deserialize("t", "{\"message\": {".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SerializationException.class, () -> deserializer.deserialize("t", "[1]".getBytes(StandardCharsets.UTF_8)));
    }
}
