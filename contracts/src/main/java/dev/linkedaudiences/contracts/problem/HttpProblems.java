package dev.linkedaudiences.contracts.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;

/**
 * What the HTTP layer answers before any resource is reached, as problems too: a path no route serves (404), and
 * the failures Vert.x raises itself (a body over {@code quarkus.http.limits.max-body-size}: 413, an authentication
 * that failed before the resource: 401).
 */
@ApplicationScoped
public class HttpProblems {

    void routes(@Observes Router router) {
        long maxBody = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        // a declared length over the limit is answered here, before the server answers it with an empty 413
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBody) {
                write(ctx, new ApiException(413, Response.Status.REQUEST_ENTITY_TOO_LARGE.getReasonPhrase(),
                        "the body is larger than " + maxBody + " bytes", List.of()));
                ctx.request().connection().close();
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(HttpProblems::failure);
        router.route().last().handler(ctx -> write(ctx, ProblemMapper.forStatus(404)));
    }

    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || status < 400 || status >= 500) {
            ctx.next();
            return;
        }
        write(ctx, ProblemMapper.forStatus(status));
    }

    private static void write(RoutingContext ctx, ApiException problem) {
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(io.vertx.core.json.Json.encode(problem.toProblem()));
    }
}
