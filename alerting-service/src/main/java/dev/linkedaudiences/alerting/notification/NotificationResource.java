package dev.linkedaudiences.alerting.notification;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.api.Page;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.util.List;

/** The in-app notifications, newest first. */
@Path("/api/v1/notifications")
public class NotificationResource {
    @GET
    @WithSession
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY})
    public Uni<List<NotificationView>> list(@QueryParam("audienceId") String audienceId,
                                            @QueryParam("limit") String limit) {
        return Notification.newest(audienceId, Page.limit(limit))
                .map(found -> found.stream().map(NotificationView::of).toList());
    }
}
