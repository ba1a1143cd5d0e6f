package dev.linkedaudiences.contracts.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads every JSON request body of every service through a {@link StrictJsonParser}, within bounds no field of our
 * APIs needs to exceed: {@link #MAX_DEPTH} levels of nesting, {@link #MAX_STRING} characters in one string (a field's
 * own, smaller maximum is checked by its validator), {@link #MAX_NAME} in one name, {@link #MAX_NUMBER} digits. The
 * body's total size is bounded by {@code quarkus.http.limits.max-body-size}. An empty body is a 400 like any other
 * missing field.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
public class StrictJsonBodyReader implements MessageBodyReader<Object> {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_STRING = 256 * 1024;
    public static final int MAX_NAME = 1_000;
    public static final int MAX_NUMBER = 40;
    private final ObjectMapper json;
    private final JsonFactory factory;

    public StrictJsonBodyReader(ObjectMapper json) {
        this.json = json;
        this.factory = json.getFactory().copy().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING).maxNameLength(MAX_NAME).maxNumberLength(MAX_NUMBER).build());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return !type.equals(String.class) && !type.equals(byte[].class) && !InputStream.class.isAssignableFrom(type);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        PushbackInputStream input = new PushbackInputStream(body, 1);
        int first = input.read();
        if (first == -1) {
            throw ApiException.invalid("", "a JSON body is required");
        }
        input.unread(first);
        try (JsonParser parser = new StrictJsonParser(factory.createParser(input))) {
            Object value = json.readerFor(json.constructType(genericType)).readValue(parser);
            if (parser.nextToken() != null) {
                throw new InvalidJsonValue(parser, "", "more than one JSON value in the body");
            }
            return value;
        }
    }
}
