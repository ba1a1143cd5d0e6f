package dev.linkedaudiences.compute.preview;

import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/previews}: what a definition would select now, computed in the warehouse like a run but
 * without touching any snapshot: the profile count, up to 3,000 sample profiles, and for a chosen relationship
 * the number of matched (profile, entity) pairs and a sample of them.
 */
@Path("/api/v1/previews")
public class PreviewResource {
    static final int MAX_SAMPLE = 3000;

    private final DataGraphClient graphs;
    private final AudiencePreviews previews;
    private final JsonText json;

    public PreviewResource(@RestClient DataGraphClient graphs, AudiencePreviews previews, JsonText json) {
        this.graphs = graphs;
        this.previews = previews;
        this.json = json;
    }

    /** {@code sampleSize} defaults to and is at most 3,000; {@code relationship} is optional. */
    public record PreviewRequest(AudienceDefinition definition, String relationship, Integer sampleSize) {
    }



    @POST
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<AudiencePreviews.Preview> preview(PreviewRequest request, @HeaderParam("Authorization") String authorization) {
        ApiException.requireBody(request);
        List<FieldError> errors = new ArrayList<>();
        int sample = request.sampleSize() == null ? MAX_SAMPLE : request.sampleSize();
        if (sample < 0 || sample > MAX_SAMPLE) {
            errors.add(new FieldError("/sampleSize", "sampleSize is between 0 and " + MAX_SAMPLE));
        }
        return graphs.current(authorization)
                .onFailure(WebApplicationException.class).transform(e -> {
                    errors.add(new FieldError("/definition", "no data graph to preview against (audience-service answered "
                            + ((WebApplicationException) e).getResponse().getStatus() + ")"));
                    return ApiException.invalid(errors);
                })
                .flatMap(graph -> Panache.withSession(() -> AudienceState.<AudienceState>listAll()).flatMap(audiences -> {
                    Map<String, AudienceDefinition> byKey = new HashMap<>();
                    Map<String, String> idByKey = new HashMap<>();
                    for (AudienceState a : audiences) {
                        idByKey.put(a.key, a.id);
                        byKey.put(a.key, json.read(a.definition, AudienceDefinition.class));
                    }
                    errors.addAll(DefinitionValidator.validate(request.definition(), "/definition", graph, null, byKey));
                    if (request.relationship() != null
                            && !DefinitionValidator.matchedRelationships(request.definition()).contains(request.relationship())) {
                        errors.add(new FieldError("/relationship", "the definition matches no entities of relationship '" + request.relationship() + "'"));
                    }
                    if (!errors.isEmpty()) {
                        return Uni.createFrom().failure(ApiException.invalid(errors));
                    }
                    return VertxContextSupport.executeBlocking(() -> previews.compute(request.definition(), request.relationship(), graph, idByKey, sample));
                }));
    }
}
