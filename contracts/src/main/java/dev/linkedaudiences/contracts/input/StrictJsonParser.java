package dev.linkedaudiences.contracts.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.IOException;

/**
 * A JSON parser that refuses what no field of our APIs may hold, wherever it is in a body, before any of it is
 * bound or stored: text (values and names) with an unpaired surrogate or a control character other than tab, line
 * feed and carriage return (a lone surrogate cannot be stored as UTF-8 and once broke every later read of its
 * table), numbers that are not finite or beyond {@link #MAX_MAGNITUDE}, and duplicate names in an object. Each
 * refusal is an {@link InvalidJsonValue} at the JSON pointer of the value.
 */
public final class StrictJsonParser extends JsonParserDelegate {
    /** The largest magnitude of a number: beyond it, doubles lose whole units (2^53 is about 9.007e15). */
    public static final double MAX_MAGNITUDE = 1e15;

    public StrictJsonParser(JsonParser parser) {
        super(parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token;
        try {
            token = delegate.nextToken();
        } catch (InvalidJsonValue e) {
            throw e;
        } catch (StreamReadException e) {
            throw new InvalidJsonValue(this, pointer(), e.getOriginalMessage());
        }
        if (token == null) {
            return null;
        }
        switch (token) {
            case FIELD_NAME -> checkText(delegate.currentName(), "a name");
            case VALUE_STRING -> checkText(delegate.getText(), "text");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> checkNumber();
            default -> {
            }
        }
        return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    private void checkText(String text, String what) throws InvalidJsonValue {
        var problem = TextRules.problem(text, Integer.MAX_VALUE); // lengths: the factory's constraints
        if (problem.isPresent()) {
            throw new InvalidJsonValue(this, pointer(), what + " that " + problem.get());
        }
    }

    private void checkNumber() throws IOException {
        double value = delegate.getNumberType() == NumberType.BIG_INTEGER ? delegate.getBigIntegerValue().doubleValue() : delegate.getDoubleValue();
        if (!Double.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
            throw new InvalidJsonValue(this, pointer(), "a number beyond ±1e15");
        }
    }

    /** The pointer of the current value (or of the name being read). */
    private String pointer() {
        return delegate.getParsingContext().pathAsPointer().toString();
    }
}
