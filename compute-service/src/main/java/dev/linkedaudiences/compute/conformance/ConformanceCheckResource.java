package dev.linkedaudiences.compute.conformance;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/warehouse/conformance-checks}: an owner proves the product right on the installation's own
 * warehouse. POST starts a check and answers 201 with its location at once; GET follows it until it is
 * completed (with its report) or failed. Asynchronous because a check on a remote warehouse (hundreds of statements,
 * each a round trip of 0.1-1 s on Snowflake or BigQuery) takes minutes, longer than HTTP clients and ingresses wait.
 */
@Path("/api/v1/warehouse/conformance-checks")
public class ConformanceCheckResource {
    static final int DEFAULT_DEFINITIONS = 50;
    static final int MAX_DEFINITIONS = 500;

    private final ConformanceChecks checks;
    private final JsonText json;

    public ConformanceCheckResource(ConformanceChecks checks, JsonText json) {
        this.checks = checks;
        this.json = json;
    }

    /**
     * @param scratchSchema a schema the check may create and drop: absent, or present and empty (it then drops only its tables)
     * @param seed          the random warehouse and definitions (default 1)
     * @param definitions   how many definitions (1 to 500, default 50)
     */
    public record CheckRequest(String scratchSchema, Long seed, Integer definitions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckView(String id, String status, String scratchSchema, long seed, int definitions, Instant requestedAt,
                            Instant startedAt, Instant finishedAt, Boolean agreed, ConformanceReport report, String error) {
    }

    @POST
    @RolesAllowed(Roles.WORKSPACE_OWNER)
    public Uni<RestResponse<CheckView>> start(CheckRequest request) {
        ApiException.requireBody(request);
        List<FieldError> errors = new ArrayList<>();
        if (request.scratchSchema() == null || request.scratchSchema().isBlank()) {
            errors.add(new FieldError("/scratchSchema", "scratchSchema is required: a schema the check may create, fill and drop"));
        } else if (!ConformanceCheck.SCHEMA_NAME.matcher(request.scratchSchema()).matches()) {
            errors.add(new FieldError("/scratchSchema", "scratchSchema is a plain identifier: a letter or _, then letters, digits or _,"
                    + " at most 63 characters"));
        }
        int definitions = request.definitions() == null ? DEFAULT_DEFINITIONS : request.definitions();
        if (definitions < 1 || definitions > MAX_DEFINITIONS) {
            errors.add(new FieldError("/definitions", "definitions is between 1 and " + MAX_DEFINITIONS));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        long seed = request.seed() == null ? 1 : request.seed();
        return checks.start(request.scratchSchema(), seed, definitions)
                .map(check -> RestResponse.ResponseBuilder.<CheckView>created(URI.create("/api/v1/warehouse/conformance-checks/" + check.id))
                        .entity(view(check)).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.WORKSPACE_OWNER)
    public Uni<CheckView> get(String id) {
        return checks.get(id).map(this::view);
    }

    private CheckView view(ConformanceCheckRecord c) {
        return new CheckView(c.id, c.status, c.scratchSchema, c.seed, c.definitions, c.requestedAt, c.startedAt, c.finishedAt, c.agreed,
                c.report == null ? null : json.read(c.report, ConformanceReport.class), c.error);
    }
}
