package dev.linkedaudiences.audience.template;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/templates/render}: preview a Handlebars template against a message payload. */
@Path("/api/v1/templates/render")
public class TemplateResource {
    private final TemplateRenderer renderer;

    public TemplateResource(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    /** {@code payload} is the message's properties, as the destination's template sees them. */
    public record RenderRequest(String template, Map<String, Object> payload) {
    }

    public record RenderResult(String rendered) {
    }

    @POST
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public RenderResult render(RenderRequest request) {
        ApiException.requireBody(request);
        List<FieldError> errors = new ArrayList<>();
        if (request.template() == null) {
            errors.add(new FieldError("/template", "template is required"));
        }
        if (request.payload() == null) {
            errors.add(new FieldError("/payload", "payload is required"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new RenderResult(renderer.render(request.template(), request.payload()));
    }
}
