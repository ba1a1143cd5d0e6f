package dev.linkedaudiences.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.util.Map;

/** JSON text (stored columns, records) to objects and back, with the application's ObjectMapper; malformed JSON is a bug, so unchecked. */
@ApplicationScoped
public class JsonText {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private final ObjectMapper json;

    public JsonText(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object as a map (a schedule, settings); null stays null. */
    public Map<String, Object> readObject(String text) {
        return text == null ? null : read(text, OBJECT);
    }

    public <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
