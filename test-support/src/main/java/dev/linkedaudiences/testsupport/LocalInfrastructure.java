package dev.linkedaudiences.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real PostgreSQL and Kafka of {@code bin/infra}: a fresh database
 * (init arg {@code database}), optionally a fresh warehouse database ({@code warehouse}) loaded with a SQL
 * script ({@code warehouseScript}, a path relative to the module), fresh topics,
 * and the test JWT public key.
 */
public class LocalInfrastructure implements QuarkusTestResourceLifecycleManager {
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        String database = args.getOrDefault("database", "la_test");
        LocalPostgres.recreateDatabase(database);
        config.put("quarkus.datasource.jdbc.url", LocalPostgres.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", LocalPostgres.reactiveUrl(database));
        config.put("quarkus.datasource.username", LocalPostgres.USER);
        config.put("quarkus.datasource.password", LocalPostgres.PASSWORD);
        String warehouse = args.get("warehouse");
        if (warehouse != null) {
            LocalPostgres.recreateDatabase(warehouse);
            if (args.containsKey("warehouseScript")) {
                LocalPostgres.runScript(warehouse, java.nio.file.Path.of(args.get("warehouseScript")));
            }
            // compute-service's warehouse gateway (WarehouseSettings), the only service that reaches the warehouse
            config.put("warehouse.engine", "postgresql");
            config.put("warehouse.jdbc-url", LocalPostgres.jdbcUrl(warehouse));
            config.put("warehouse.user", LocalPostgres.USER);
            config.put("warehouse.password", LocalPostgres.PASSWORD);
        }
        config.put("kafka.bootstrap.servers", LocalKafka.BOOTSTRAP);
        config.put("la.topic-prefix", LocalKafka.createTopicsWithFreshPrefix());
        config.put("mp.jwt.verify.publickey.location", TestKeys.publicKeyFile().toUri().toString());
        return config;
    }

    @Override
    public void stop() {
    }
}
