package dev.linkedaudiences.contracts.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.RequestPayload;

/** A value of a request body that no field accepts ({@link StrictJsonParser}), at its JSON pointer. */
public final class InvalidJsonValue extends StreamReadException {
    private final String pointer;
    private final String reason;

    InvalidJsonValue(JsonParser parser, String pointer, String reason) {
        super(parser, reason);
        this.pointer = pointer;
        this.reason = reason;
    }

    @Override
    public InvalidJsonValue withParser(JsonParser parser) {
        return this;
    }

    @Override
    public InvalidJsonValue withRequestPayload(RequestPayload payload) {
        return this;
    }

    public String pointer() {
        return pointer;
    }

    public String reason() {
        return reason;
    }
}
