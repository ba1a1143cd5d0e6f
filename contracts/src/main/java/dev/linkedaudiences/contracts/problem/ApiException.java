package dev.linkedaudiences.contracts.problem;

import java.util.List;

/** A failure the caller can act on; {@link ProblemMapper} turns it into problem+json. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 400 with every problem of the request, each at its JSON pointer. */
    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(400, "Invalid request", errors.size() + " invalid field(s)", errors);
    }

    public static ApiException invalid(String pointer, String message) {
        return invalid(List.of(new FieldError(pointer, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "Not found", what + " does not exist", List.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail, List.of());
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "Unavailable", detail, List.of());
    }

    /** A missing JSON body is a 400 like any other invalid field. */
    public static <T> T requireBody(T body) {
        if (body == null) {
            throw invalid("", "a JSON body is required");
        }
        return body;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors);
    }

    public int status() {
        return status;
    }

    /** The invalid fields, each at its JSON pointer; empty for failures that are not about the request's fields. */
    public List<FieldError> errors() {
        return errors;
    }
}
