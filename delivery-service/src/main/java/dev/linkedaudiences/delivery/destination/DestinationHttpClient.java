package dev.linkedaudiences.delivery.destination;

import dev.linkedaudiences.delivery.DeliveryConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one HTTP client every destination sends with: non-blocking, on Quarkus' Vert.x, so that answers come back
 * on the event loop that sent the request (where the dispatcher's database session lives).
 */
@ApplicationScoped
public class DestinationHttpClient {

    @Produces
    @Singleton
    WebClient webClient(Vertx vertx, DeliveryConfig config) {
        int timeout = (int) config.httpTimeout().toMillis();
        return WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(timeout)
                .setMaxPoolSize(config.httpMaxConnections())
                .setKeepAlive(true)
                .setUserAgent("linked-audiences-delivery")
                .setFollowRedirects(false));
    }

    void close(@Disposes WebClient client) {
        client.close();
    }
}
