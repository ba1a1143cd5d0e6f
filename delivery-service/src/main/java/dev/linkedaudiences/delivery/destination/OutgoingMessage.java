package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One Segment message on its way to a destination. It is kept as the JSON text it was stored as and parsed into
 * fields only when a route needs them: a webhook sends the text as it is ({@link Route#sendsMessageAsIs()}), so at
 * a high rate the message is never parsed nor written again; the other destinations build their items from the
 * fields. Not thread-safe (one pass uses it).
 */
public final class OutgoingMessage {
    private final ObjectMapper json;
    private String text;
    private Map<String, Object> fields;

    private OutgoingMessage(ObjectMapper json, String text, Map<String, Object> fields) {
        this.json = json;
        this.text = text;
        this.fields = fields;
    }

    /** A message stored as JSON text (the dispatcher's). */
    public static OutgoingMessage ofJson(String text, ObjectMapper json) {
        return new OutgoingMessage(json, text, null);
    }

    /** A message already parsed (a test event's). */
    public static OutgoingMessage of(Map<String, Object> fields, ObjectMapper json) {
        return new OutgoingMessage(json, null, fields);
    }

    /** The message's fields, parsed on first use. */
    public Map<String, Object> fields() {
        if (fields == null) {
            try {
                fields = json.readValue(text, new TypeReference<>() { });
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("a stored message is not JSON", e);
            }
        }
        return fields;
    }

    /** The message as UTF-8 JSON, byte for byte as stored when it came as text. */
    public byte[] bytes() throws JsonProcessingException {
        if (text == null) {
            text = json.writeValueAsString(fields);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether it is an identify message ({@code "type": "identify"}). From stored text, only the top-level fields
     * up to {@code type} are read (it usually comes first), without building the message.
     */
    public boolean identify() {
        if (fields != null) {
            return "identify".equals(fields.get("type"));
        }
        try (JsonParser parser = json.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name)) {
                    return value == JsonToken.VALUE_STRING && "identify".equals(parser.getText());
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("a stored message is not JSON", e);
        }
    }
}
