package dev.linkedaudiences.contracts.input;

import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses, in every service, path and query parameters that no parameter of our APIs takes (a NUL or another
 * control character, an unpaired surrogate, more than {@link #MAX_LENGTH} characters) with a 400 naming each, before
 * a resource reads them or a database sees them. A parameter's own format (a UUID, a limit) is checked where it is
 * read.
 */
@ApplicationScoped
public class ParameterFilter {
    public static final int MAX_LENGTH = 1_000;

    @ServerRequestFilter
    public void filter(ContainerRequestContext request) {
        List<FieldError> errors = new ArrayList<>();
        check("path parameter", request.getUriInfo().getPathParameters(), errors);
        check("query parameter", request.getUriInfo().getQueryParameters(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static void check(String kind, MultivaluedMap<String, String> parameters, List<FieldError> errors) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                TextRules.problem(value, MAX_LENGTH).ifPresent(problem ->
                        errors.add(new FieldError(parameter.getKey(), kind + " '" + parameter.getKey() + "' " + problem)));
            }
        }
    }
}
