package dev.linkedaudiences.contracts.input;

import dev.linkedaudiences.contracts.problem.FieldError;

import java.util.List;
import java.util.Optional;

/**
 * What any text our APIs accept must be: no unpaired surrogate (it cannot be stored as UTF-8), no control character
 * but tab, line feed and carriage return, and within a maximum length. Fields with a stricter rule (a name on one
 * line) check it where they are validated.
 */
public final class TextRules {

    /** Why {@code text} is refused ("has a control character (\u0000) at character 3"), or empty when it is accepted. */
    public static Optional<String> problem(String text, int maxLength) {
        if (text.length() > maxLength) {
            return Optional.of("is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("has an unpaired surrogate (\\u" + hex(c) + ") at character " + i);
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return Optional.of("has a control character (\\u" + hex(c) + ") at character " + i);
            }
        }
        return Optional.empty();
    }

    /** Adds a problem at {@code pointer} when {@code value} is longer than the field's maximum (its column's size). */
    public static void requireAtMost(List<FieldError> errors, String pointer, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            errors.add(new FieldError(pointer, "at most " + maxLength + " characters"));
        }
    }

    private static String hex(char c) {
        return String.format("%04x", (int) c);
    }

    private TextRules() {
    }
}
