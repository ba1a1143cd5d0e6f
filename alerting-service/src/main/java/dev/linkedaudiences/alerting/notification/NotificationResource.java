package dev.linkedaudiences.alerting.notification;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.util.List;

/** The in-app notifications, newest first. */
@Path("/api/v1/notifications")
public class NotificationResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    @GET
    @WithSession
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<List<NotificationView>> list(@QueryParam("audienceId") String audienceId,
                                            @QueryParam("limit") @DefaultValue("" + DEFAULT_LIMIT) int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return Uni.createFrom().failure(ApiException.invalid("/limit",
                    "query parameter limit must be between 1 and " + MAX_LIMIT));
        }
        return Notification.newest(audienceId, limit)
                .map(found -> found.stream().map(NotificationView::of).toList());
    }
}
