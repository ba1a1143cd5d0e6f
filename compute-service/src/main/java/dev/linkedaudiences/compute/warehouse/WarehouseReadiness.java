package dev.linkedaudiences.compute.warehouse;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the snapshot schema exists (the gateway keeps trying until it does) and, for a networked warehouse, while
 * a pooled connection answers. A DuckDB file is not probed: opening it would lock it against the loader process that
 * updates it between runs.
 */
@Readiness
@ApplicationScoped
public class WarehouseReadiness implements HealthCheck {
    private final WarehouseGateway gateway;

    public WarehouseReadiness(WarehouseGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("warehouse")
                .withData("engine", gateway.engine()).withData("snapshotSchema", gateway.snapshotSchema());
        if (!gateway.schemaReady()) {
            return response.down().withData("problem", "snapshot schema not created yet: " + gateway.schemaProblem()).build();
        }
        if (!gateway.fileDatabase() && !gateway.answers()) {
            return response.down().withData("problem", "no connection to the warehouse answers").build();
        }
        return response.up().build();
    }
}
