package dev.linkedaudiences.delivery.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an activation-events record (the JSON of {@code ActivationEvent}) in one streaming pass: the envelope's
 * fields, and from the message only its top-level {@code messageId}, {@code event} and {@code type}; the message
 * itself is kept as the exact bytes it occupies in the record. Building the message into maps and writing it back
 * cost a third of the service's time at 10,000 events/s (docs/benchmarks.md, "Delivery"). A record that is not
 * such JSON throws, and arrives as null (the channel's {@code fail-on-deserialization-failure=false}).
 */
public class ActivationEventDeserializer implements Deserializer<ReceivedEvent> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public ReceivedEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(data)) {
            return read(parser, data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("unreadable activation-events record", e);
        }
    }

    private static ReceivedEvent read(JsonParser parser, byte[] data) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        String activationId = null, audienceId = null, runId = null, profileId = null, trigger = null;
        String filteredAtSource = null;
        Message message = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "activationId" -> activationId = text(parser, value);
                case "audienceId" -> audienceId = text(parser, value);
                case "runId" -> runId = text(parser, value);
                case "profileId" -> profileId = text(parser, value);
                case "trigger" -> trigger = text(parser, value);
                case "filteredAtSource" -> filteredAtSource = text(parser, value);
                case "message" -> message = value == JsonToken.START_OBJECT ? message(parser, data) : skip(parser);
                default -> parser.skipChildren();
            }
        }
        return message == null
                ? new ReceivedEvent(activationId, audienceId, runId, profileId, trigger, filteredAtSource, null, null, null)
                : new ReceivedEvent(activationId, audienceId, runId, profileId, trigger, filteredAtSource,
                message.id, message.event != null ? message.event : String.valueOf(message.type), message.json);
    }

    private record Message(String id, String event, String type, String json) {
    }

    /** The message object the parser stands at the start of: its top-level fields we need, and its bytes. */
    private static Message message(JsonParser parser, byte[] data) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        String id = null, event = null, type = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "messageId" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "event" -> event = text(parser, value);
                case "type" -> type = text(parser, value);
                default -> parser.skipChildren();
            }
        }
        int end = (int) parser.currentLocation().getByteOffset(); // just past the closing brace
        return new Message(id, event, type, new String(data, start, end - start, StandardCharsets.UTF_8));
    }

    private static Message skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        parser.skipChildren();
        return value.isScalarValue() ? parser.getText() : null;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + ", found " + actual);
        }
    }
}
