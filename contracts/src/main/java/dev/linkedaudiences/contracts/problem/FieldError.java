package dev.linkedaudiences.contracts.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One invalid field: a JSON pointer relative to the request body and what is wrong with it. */
@RegisterForReflection
public record FieldError(String pointer, String message) {
}
