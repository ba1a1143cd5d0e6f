package dev.linkedaudiences.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.linkedaudiences.contracts.input.InvalidJsonValue;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;

/**
 * The one place where failures become problem+json, in every service: domain failures ({@link ApiException}) keep
 * their status; unreadable or refused JSON bodies are a 400 at the pointer where reading stopped; JAX-RS' own
 * answers (404 no such path, 405, 406, 413, 415) and the security checks (401, 403) keep their status with a problem
 * body; anything else is a 500 whose body names only a correlation id, logged with the failure. No stack trace,
 * exception message or database text reaches a response unless it is ours.
 */
public final class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    static Response answer(ApiException e) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem()).build();
    }

    private static Response answer(int status, String title, String detail) {
        return answer(new ApiException(status, title, detail, List.of()));
    }

    @Provider
    public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return answer(e);
        }
    }

    /** A body that is not JSON, not the expected JSON, or holds a value no field accepts. */
    @Provider
    public static class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidJsonValue invalid) {
                    return invalidBody(invalid.pointer(), invalid.reason());
                }
            }
            String pointer = "";
            if (e instanceof MismatchedInputException mismatch) {
                pointer = mismatch.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                        .reduce("", (a, b) -> a + "/" + b);
            }
            return invalidBody(pointer, e.getOriginalMessage());
        }

        private static Response invalidBody(String pointer, String reason) {
            return answer(new ApiException(400, "Invalid request", "the body is not the expected JSON",
                    List.of(new FieldError(pointer, reason))));
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

    /**
     * JAX-RS' answers (404, 405, 406, 413, 415, ...) as problems with their status; a body Quarkus could not read
     * arrives wrapped in one and is answered as such.
     */
    @Provider
    public static class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            if (e.getCause() instanceof JsonProcessingException json) {
                return new JsonExceptionMapper().toResponse(json);
            }
            if (e.getCause() instanceof ApiException api) {
                return answer(api);
            }
            Response.StatusType status = e.getResponse().getStatusInfo();
            if (status.getStatusCode() >= 500) {
                return new UnexpectedMapper().toResponse(e);
            }
            return answer(forStatus(status.getStatusCode()));
        }
    }

    /**
     * The problem of a client error the framework or the HTTP layer raised before any resource answered: its
     * status, its reason phrase as title, and what the caller can do about it. The one place both {@link
     * WebApplicationExceptionMapper} and {@link HttpProblems} describe such an error.
     */
    static ApiException forStatus(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Client error" : known.getReasonPhrase();
        return new ApiException(status, title, switch (status) {
            case 401 -> "a valid bearer token is required";
            case 403 -> "the token's role may not do this";
            case 404 -> "no resource at this path";
            case 405 -> "this method is not allowed here";
            case 406 -> "this resource answers application/json";
            case 413 -> "the body is larger than this API accepts";
            case 415 -> "send the body as application/json";
            default -> title;
        }, List.of());
    }

    /**
     * The security checks: no token, or one that is expired, wrongly signed or too old (401); a role that may not
     * (403). Before Quarkus' own mappers, which answer without a body.
     */
    @ApplicationScoped
    public static class SecurityMappers {
        @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
        public Response unauthorized(UnauthorizedException e) {
            return ProblemMapper.unauthorized();
        }

        @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
        public Response authenticationFailed(AuthenticationFailedException e) {
            return ProblemMapper.unauthorized();
        }

        @ServerExceptionMapper(priority = Priorities.AUTHORIZATION)
        public Response forbidden(ForbiddenException e) {
            return answer(forStatus(403));
        }
    }

    static Response unauthorized() {
        return Response.fromResponse(answer(forStatus(401))).header("WWW-Authenticate", "Bearer").build();
    }

    /** Anything else: a bug or an outage. Logged with a correlation id, which is all the answer says. */
    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            String correlationId = UUID.randomUUID().toString();
            LOG.errorf(e, "unexpected failure, correlation id %s", correlationId);
            return answer(500, "Internal error", "an unexpected failure; its correlation id is " + correlationId);
        }
    }

    private ProblemMapper() {
    }
}
