package dev.linkedaudiences.compute.suggestion;

import dev.linkedaudiences.compute.preview.DataGraphClient;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/suggestions}: values for the audience builder (audience-model.md, "Limits and validation"): the
 * first 100 distinct values of an entity's STRING column ({@code relationship} + {@code column}), or the 65 most
 * frequent values of a profile trait ({@code trait}) or of an event property ({@code event} + {@code property}).
 */
@Path("/api/v1/suggestions")
public class SuggestionResource {
    private final DataGraphClient graphs;
    private final ValueSuggestions suggestions;

    public SuggestionResource(@RestClient DataGraphClient graphs, ValueSuggestions suggestions) {
        this.graphs = graphs;
        this.suggestions = suggestions;
    }

    @GET
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<ValueSuggestions.Suggestions> suggest(@QueryParam("relationship") String relationship, @QueryParam("column") String column,
                                                     @QueryParam("trait") String trait, @QueryParam("event") String event,
                                                     @QueryParam("property") String property, @HeaderParam("Authorization") String authorization) {
        return graphs.current(authorization)
                .onFailure(WebApplicationException.class).transform(e -> ApiException.unavailable("no data graph to suggest from"))
                .flatMap(graph -> VertxContextSupport.executeBlocking(() -> {
                    if (relationship != null) {
                        return suggestions.entityValues(graph, relationship, column);
                    } else if (trait != null) {
                        return suggestions.traitValues(graph, trait);
                    } else if (event != null) {
                        return suggestions.eventValues(graph, event, property);
                    }
                    throw ApiException.invalid("/relationship", "ask for relationship and column, trait, or event and property");
                }));
    }
}
