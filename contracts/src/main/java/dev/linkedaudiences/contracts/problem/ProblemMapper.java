package dev.linkedaudiences.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.UnwrapException;

import java.util.List;

/**
 * The one place where failures become problem+json: domain failures ({@link ApiException}) keep their status,
 * unreadable JSON bodies are a 400 naming where parsing stopped. No stack trace ever reaches a response.
 */
public final class ProblemMapper {

    static Response answer(ApiException e) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem()).build();
    }

    @Provider
    public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return answer(e);
        }
    }

    /**
     * Also answers a body that is not JSON at all: Quarkus REST wraps that parse error in a bare 400
     * WebApplicationException (no body), which is unwrapped to reach this mapper.
     */
    @Provider
    @UnwrapException(WebApplicationException.class)
    public static class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            String pointer = "";
            if (e instanceof MismatchedInputException mismatch) {
                pointer = mismatch.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                        .reduce("", (a, b) -> a + "/" + b);
            }
            return answer(new ApiException(400, "Invalid request", "the body is not the expected JSON",
                    List.of(new FieldError(pointer, e.getOriginalMessage()))));
        }
    }

    /** Jackson's type mismatches, which Quarkus would otherwise answer with its own, more specific mapper. */
    @Provider
    public static class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            return new JsonExceptionMapper().toResponse(e);
        }
    }

    private ProblemMapper() {
    }
}
