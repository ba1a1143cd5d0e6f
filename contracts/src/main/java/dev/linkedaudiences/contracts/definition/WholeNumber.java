package dev.linkedaudiences.contracts.definition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;

/**
 * Reads a JSON integer and nothing else. Jackson would truncate 1.5 to 1 and read "2" as 2, silently changing
 * what a count or a window means; this makes them a 400 at the field instead.
 */
@RegisterForReflection
public final class WholeNumber extends StdDeserializer<Long> {

    public WholeNumber() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Long) context.handleUnexpectedToken(Long.class, parser);
        }
        return parser.getLongValue();
    }
}
