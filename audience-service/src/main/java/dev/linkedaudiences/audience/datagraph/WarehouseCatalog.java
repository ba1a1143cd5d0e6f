package dev.linkedaudiences.audience.datagraph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The warehouse catalog a data graph is checked against, asked of compute-service ({@link WarehouseCatalogClient}).
 * Keys are table references as the graph writes them: {@code schema.table}, or a bare {@code table} for the
 * warehouse's default schema.
 *
 * <p>Each attempt is bounded by the REST client's connect and read timeouts
 * ({@code quarkus.rest-client.compute-service.connect-timeout / read-timeout}); a connection that fails, an attempt
 * that times out and a 5xx answer are retried with Mutiny's back-off ({@link #RETRIES} times), since a
 * compute-service instance restarting or briefly overloaded is the usual cause. Mutiny's retry rather than the
 * fault-tolerance extension: the call already is a Uni, the retry reads next to it, and no extension is added for
 * one call. A 4xx is not retried: compute-service refused the request. After the retries, the caller gets a 503 that
 * names compute-service.
 */
@ApplicationScoped
public class WarehouseCatalog {
    static final int RETRIES = 2;
    private static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);

    private final WarehouseCatalogClient compute;
    private final ObjectMapper json;

    public WarehouseCatalog(@RestClient WarehouseCatalogClient compute, ObjectMapper json) {
        this.compute = compute;
        this.json = json;
    }

    /** A failure worth another attempt: compute-service unreachable, too slow, or answering 5xx. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Every table of these schemas (null: the default schema) with its columns' data types. The default schema
     * and the named ones are two requests (a request without {@code schema} is the default schema's).
     *
     * @param refused what to answer when compute-service refuses one of the named schemas (400 at
     *                {@code /schema/i}): the schema, its message
     */
    public Uni<Map<String, Map<String, DataType>>> describeSchemas(Collection<String> schemas, String authorization,
                                                                   SchemaRefusal refused) {
        List<String> named = schemas.stream().filter(Objects::nonNull).distinct().toList();
        List<Uni<Map<String, Map<String, DataType>>>> asks = new ArrayList<>();
        if (schemas.contains(null)) {
            asks.add(ask(authorization, List.of(), refused));
        }
        if (!named.isEmpty()) {
            asks.add(ask(authorization, named, refused));
        }
        if (asks.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(asks).andFailFast().map(answers -> {
            Map<String, Map<String, DataType>> tables = new HashMap<>();
            answers.forEach(tables::putAll);
            return tables;
        });
    }

    /** Turns compute-service's refusal of a schema name into the caller's own 400. */
    @FunctionalInterface
    public interface SchemaRefusal {
        ApiException of(String schema, String message);
    }

    private Uni<Map<String, Map<String, DataType>>> ask(String authorization, List<String> schemas, SchemaRefusal refused) {
        return Uni.createFrom().deferred(() -> compute.catalog(authorization, schemas))
                .onFailure(e -> !(e instanceof WebApplicationException w) || w.getResponse().getStatus() >= 500)
                .transform(e -> new Unavailable(reason(e), e))
                .onFailure(Unavailable.class).retry().withBackOff(FIRST_BACK_OFF).atMost(RETRIES)
                // with a back-off, Mutiny reports the retries exhausted with the last failure as the cause
                .onFailure(e -> unavailable(e) != null).transform(e -> ApiException.unavailable(
                        "compute-service, which reads the warehouse catalog, did not answer after " + (RETRIES + 1)
                                + " attempts: " + unavailable(e).getMessage()))
                .onFailure(WebApplicationException.class).transform(e -> refusal((WebApplicationException) e, schemas, refused))
                .map(catalog -> catalog == null || catalog.tables() == null ? Map.of() : catalog.tables());
    }

    private static Unavailable unavailable(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof Unavailable u) {
                return u;
            }
        }
        return null;
    }

    private static String reason(Throwable e) {
        if (e instanceof WebApplicationException w) {
            return "it answered " + w.getResponse().getStatus();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A 400 at {@code /schema/i} names one of the schemas asked for; any other 4xx is compute-service's own. */
    private ApiException refusal(WebApplicationException e, List<String> schemas, SchemaRefusal refused) {
        int status = e.getResponse().getStatus();
        JsonNode problem = problem(e);
        if (status == 400) {
            for (JsonNode error : problem.path("errors")) {
                String pointer = error.path("pointer").asText("");
                if (pointer.matches("/schema/\\d{1,3}") && Integer.parseInt(pointer.substring(8)) < schemas.size()) {
                    return refused.of(schemas.get(Integer.parseInt(pointer.substring(8))), error.path("message").asText());
                }
            }
        }
        if (status == 401 || status == 403) {
            return new ApiException(status, status == 401 ? "Unauthorized" : "Forbidden",
                    "compute-service refused this caller the warehouse catalog", List.of());
        }
        return ApiException.unavailable("compute-service answered " + status + " for the warehouse catalog"
                + (problem.hasNonNull("detail") ? ": " + problem.get("detail").asText() : ""));
    }

    private JsonNode problem(WebApplicationException e) {
        try {
            return json.readTree(e.getResponse().readEntity(String.class));
        } catch (RuntimeException | java.io.IOException unreadable) {
            return json.createObjectNode();
        }
    }
}
