package dev.linkedaudiences.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart rendered (helm template, Helm's own engine) with ci/test-values.yaml and each engine's
 * ci/warehouse-&lt;engine&gt;.yaml: compute-service, and only it, gets that engine's warehouse settings; credentials
 * reach it as files of the warehouse Secret named by *-file settings, never as values in the Deployment.
 */
class ChartRenderTest {
    private static final Path CHART = Path.of(System.getProperty("la.chart", "linked-audiences"));
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String CREDENTIALS_DIR = "/etc/linked-audiences/warehouse/";

    /** Per engine (as its ci values file configures it): the Secret's keys it needs and the *-file setting of each. */
    private static final Map<String, Map<String, String>> SECRET_FILES = Map.of(
            "postgresql", Map.of("password", "WAREHOUSE_PASSWORD_FILE"),
            "redshift", Map.of("password", "WAREHOUSE_PASSWORD_FILE"),
            "snowflake", Map.of("snowflake-private-key", "WAREHOUSE_SNOWFLAKE_PRIVATE_KEY_FILE",
                    "snowflake-private-key-passphrase", "WAREHOUSE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE_FILE"),
            "databricks", Map.of("databricks-oauth-client-secret", "WAREHOUSE_DATABRICKS_OAUTH_CLIENT_SECRET_FILE"),
            "bigquery", Map.of("bigquery-credentials", "WAREHOUSE_BIGQUERY_CREDENTIALS_FILE"),
            "duckdb", Map.of());

    /** Settings that hold a secret themselves: the chart must use their *-file form instead. */
    private static final Set<String> SECRET_VALUE_SETTINGS = Set.of("WAREHOUSE_PASSWORD", "WAREHOUSE_DATABRICKS_TOKEN",
            "WAREHOUSE_DATABRICKS_OAUTH_CLIENT_SECRET", "WAREHOUSE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "redshift", "snowflake", "databricks", "bigquery", "duckdb"})
    void computeServiceGetsTheEnginesSettingsAndCredentialsAsFiles(String engine) throws IOException {
        JsonNode values = YAML.readTree(CHART.resolve("ci/warehouse-" + engine + ".yaml").toFile()).path("warehouse");
        List<JsonNode> manifests = render(t -> t.withValuesFile(CHART.resolve("ci/warehouse-" + engine + ".yaml")));
        JsonNode compute = deployment(manifests, "compute-service");
        Map<String, String> env = env(compute);

        Map<String, String> expected = new TreeMap<>();
        expected.put("WAREHOUSE_ENGINE", engine);
        expected.put("WAREHOUSE_SNAPSHOT_SCHEMA", values.path("snapshotSchema").asText("la_compute"));
        expected.put("WAREHOUSE_MAX_CONNECTIONS", "8");
        if (Set.of("postgresql", "redshift", "snowflake", "databricks").contains(engine)) {
            expected.put("WAREHOUSE_JDBC_URL", values.path("jdbcUrl").asText());
        }
        if (Set.of("postgresql", "redshift", "snowflake").contains(engine)) {
            expected.put("WAREHOUSE_USER", values.path("user").asText());
        }
        switch (engine) {
            case "databricks" -> expected.put("WAREHOUSE_DATABRICKS_OAUTH_CLIENT_ID", values.path("databricks").path("oauthClientId").asText());
            case "bigquery" -> {
                expected.put("WAREHOUSE_BIGQUERY_PROJECT", values.path("bigquery").path("project").asText());
                expected.put("WAREHOUSE_BIGQUERY_LOCATION", values.path("bigquery").path("location").asText());
            }
            case "duckdb" -> expected.put("WAREHOUSE_DUCKDB_PATH", "/var/lib/linked-audiences/duckdb/" + values.path("duckdb").path("file").asText());
            default -> {
            }
        }
        SECRET_FILES.get(engine).forEach((key, setting) -> expected.put(setting, CREDENTIALS_DIR + key));
        Map<String, String> warehouseEnv = new TreeMap<>(env);
        warehouseEnv.keySet().removeIf(name -> !name.startsWith("WAREHOUSE_"));
        assertEquals(expected, warehouseEnv);
        assertTrue(env.keySet().stream().noneMatch(name -> name.startsWith("QUARKUS_DATASOURCE_WAREHOUSE_")), env.keySet().toString());
        assertTrue(env.keySet().stream().noneMatch(SECRET_VALUE_SETTINGS::contains), env.keySet().toString());

        JsonNode credentials = volume(compute, "warehouse-credentials");
        if (SECRET_FILES.get(engine).isEmpty()) {
            assertNull(credentials, "no credentials volume without credentials");
        } else {
            String secretName = values.path("existingSecret").asText("");
            assertEquals(secretName.isEmpty() ? "la-warehouse" : secretName, credentials.path("secret").path("secretName").asText());
            Map<String, String> items = new TreeMap<>();
            credentials.path("secret").path("items").forEach(item -> items.put(item.path("key").asText(), item.path("path").asText()));
            Map<String, String> keysAsFiles = new TreeMap<>();
            SECRET_FILES.get(engine).keySet().forEach(key -> keysAsFiles.put(key, key));
            assertEquals(keysAsFiles, items);
            assertEquals(CREDENTIALS_DIR, mountPath(compute, "warehouse-credentials") + "/");
        }
        if (engine.equals("duckdb")) {
            assertEquals(values.path("duckdb").path("existingClaim").asText(),
                    volume(compute, "warehouse-duckdb").path("persistentVolumeClaim").path("claimName").asText());
            assertEquals("/var/lib/linked-audiences/duckdb", mountPath(compute, "warehouse-duckdb"));
        }

        assertEquals("http://la-compute-service", env(deployment(manifests, "audience-service")).get("QUARKUS_REST_CLIENT_COMPUTE_SERVICE_URL"),
                "audience-service asks compute-service for the catalog");
        for (String other : List.of("audience-service", "delivery-service", "alerting-service")) {
            JsonNode deployment = deployment(manifests, other);
            assertTrue(env(deployment).keySet().stream().noneMatch(name -> name.startsWith("WAREHOUSE_") || name.contains("DATASOURCE_WAREHOUSE")),
                    other + " gets no warehouse settings: " + env(deployment).keySet());
            assertNull(volume(deployment, "warehouse-credentials"), other);
        }
        assertSecretsOnlyInTheSecret(manifests, values.path("secret"), values.path("existingSecret").asText(""));
    }

    /** Every secret value of the values file is in the chart's warehouse Secret (when it creates one) and nowhere else. */
    private static void assertSecretsOnlyInTheSecret(List<JsonNode> manifests, JsonNode secretValues, String existingSecret) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secretValues.fields().forEachRemaining(e -> secrets.put(e.getKey(), e.getValue().asText()));
        JsonNode created = manifests.stream().filter(m -> kind(m, "Secret") && m.path("metadata").path("name").asText().equals("la-warehouse"))
                .findFirst().orElse(null);
        if (!existingSecret.isEmpty() || secrets.isEmpty()) {
            assertNull(created, "the chart creates no warehouse Secret when it is given one or none is needed");
        } else {
            Map<String, String> data = new TreeMap<>();
            created.path("data").fields().forEachRemaining(e ->
                    data.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
            assertEquals(new TreeMap<>(secrets), data);
        }
        for (JsonNode manifest : manifests) {
            if (kind(manifest, "Secret")) {
                continue;
            }
            String text = manifest.toString();
            secrets.forEach((key, value) -> value.lines().filter(line -> line.length() >= 8 && !line.startsWith("-----"))
                    .forEach(line -> assertFalse(text.contains(line), "the secret " + key + " appears in clear in a "
                            + manifest.path("kind").asText() + " " + manifest.path("metadata").path("name").asText())));
        }
    }

    @Test
    void duckdbNeedsASingleComputeServiceProcess() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(t -> t
                .withValuesFile(CHART.resolve("ci/warehouse-duckdb.yaml")).set("services.compute-service.replicas", 2)));
        assertTrue(e.getMessage().contains("set services.compute-service.replicas=1"), e.getMessage());
    }

    /** BigQuery without a key: Application Default Credentials (Workload Identity); no Secret, no credentials volume. */
    @Test
    void bigQueryWithWorkloadIdentityMountsNoKey() throws IOException {
        List<JsonNode> manifests = render(t -> t.set("warehouse.engine", "bigquery").set("warehouse.bigquery.project", "p")
                .set("warehouse.bigquery.authentication", "workload-identity"));
        JsonNode compute = deployment(manifests, "compute-service");
        assertNull(volume(compute, "warehouse-credentials"));
        assertNull(env(compute).get("WAREHOUSE_BIGQUERY_CREDENTIALS_FILE"));
        assertEquals("p", env(compute).get("WAREHOUSE_BIGQUERY_PROJECT"));
        assertTrue(manifests.stream().noneMatch(m -> kind(m, "Secret") && m.path("metadata").path("name").asText().equals("la-warehouse")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(t -> t.set("warehouse.engine", "bigquery")
                .set("warehouse.bigquery.project", "p").set("warehouse.bigquery.authentication", "oauth")));
        assertTrue(e.getMessage().contains("at '/warehouse/bigquery/authentication': value must be one of 'service-account-key', 'workload-identity'"),
                e.getMessage());
    }

    /** values.schema.json: a value of the wrong type or a misspelled key stops the install, named, instead of being ignored. */
    @Test
    void theSchemaRejectsWrongTypesAndUnknownKeys() {
        String wrongType = assertThrows(IllegalStateException.class, () -> render(t -> t.set("services.compute-service.replicas", "two")))
                .getMessage();
        assertTrue(wrongType.contains("replicas"), wrongType);
        String misspelled = assertThrows(IllegalStateException.class, () -> render(t -> t.set("postgres.pasword", "secret"))).getMessage();
        assertTrue(misspelled.contains("pasword"), misspelled);
        assertFalse(misspelled.contains("secret\""), "the value is not echoed: " + misspelled);
        String badEnum = assertThrows(IllegalStateException.class, () -> render(t -> t.set("warehouse.bigquery.authentication", "oauth")))
                .getMessage();
        assertTrue(badEnum.contains("authentication"), badEnum);
        assertTrue(misspelled.contains("at '/postgres': additional properties 'pasword' not allowed"), misspelled);
    }

    /** Node drains keep a replicated service up; an autoscaled one leaves its replica count to the autoscaler. */
    @Test
    void replicatedServicesGetADisruptionBudgetAndAutoscalingIsOptIn() throws IOException {
        List<JsonNode> manifests = render(t -> t);
        List<String> budgets = manifests.stream().filter(m -> kind(m, "PodDisruptionBudget")).map(m -> m.path("metadata").path("name").asText())
                .sorted().toList();
        assertEquals(List.of("la-compute-service", "la-delivery-service"), budgets, "the services with 2 replicas by default");
        assertTrue(manifests.stream().noneMatch(m -> kind(m, "HorizontalPodAutoscaler")));

        List<JsonNode> scaled = render(t -> t.set("services.delivery-service.autoscaling.enabled", "true"));
        JsonNode hpa = scaled.stream().filter(m -> kind(m, "HorizontalPodAutoscaler")).findFirst().orElseThrow();
        assertEquals("la-delivery-service", hpa.path("spec").path("scaleTargetRef").path("name").asText());
        assertEquals(2, hpa.path("spec").path("minReplicas").asInt());
        assertEquals(8, hpa.path("spec").path("maxReplicas").asInt());
        assertTrue(deployment(scaled, "delivery-service").path("spec").path("replicas").isMissingNode(), "the autoscaler sets the count");
        assertEquals(2, deployment(scaled, "compute-service").path("spec").path("replicas").asInt());

        String below = assertThrows(IllegalStateException.class, () -> render(t -> t.set("services.compute-service.autoscaling.enabled", "true")
                .set("services.compute-service.autoscaling.maxReplicas", "1"))).getMessage();
        assertTrue(below.contains("services.compute-service.autoscaling.maxReplicas (1) is below its replicas (2)"), below);
    }

    /** A variable may come from a Secret (valueFrom) rather than be written into the values. */
    @Test
    void extraEnvTakesLiteralsAndValueFrom() throws IOException {
        Path values = Files.createTempFile("extra-env", ".yaml");
        Files.writeString(values, """
                extraEnv:
                  QUARKUS_MAILER_PASSWORD:
                    valueFrom:
                      secretKeyRef: {name: smtp, key: password}
                  LOG_LEVEL: DEBUG
                """);
        Map<String, String> env = env(deployment(render(t -> t.withValuesFile(values)), "alerting-service"));
        assertEquals("secret:smtp/password", env.get("QUARKUS_MAILER_PASSWORD"));
        assertEquals("DEBUG", env.get("LOG_LEVEL"));
        Files.writeString(values, "extraEnv:\n  X:\n    secretKeyRef: {name: smtp, key: password}\n");
        assertThrows(IllegalStateException.class, () -> render(t -> t.withValuesFile(values)), "an object without valueFrom");
    }

    /** Every call one service makes to another has its URL: the in-cluster Service of the callee. */
    @Test
    void everyServiceToServiceUrlIsSet() throws IOException {
        List<JsonNode> manifests = render(t -> t);
        assertEquals("http://la-compute-service", env(deployment(manifests, "audience-service")).get("QUARKUS_REST_CLIENT_COMPUTE_SERVICE_URL"));
        assertEquals("http://la-compute-service", env(deployment(manifests, "delivery-service")).get("QUARKUS_REST_CLIENT_COMPUTE_SERVICE_URL"));
        assertEquals("http://la-audience-service", env(deployment(manifests, "compute-service")).get("QUARKUS_REST_CLIENT_AUDIENCE_SERVICE_URL"));
        assertTrue(manifests.stream().anyMatch(m -> kind(m, "Service") && m.path("metadata").path("name").asText().equals("la-compute-service")));
    }

    /** Two installations on one Kafka cluster: each service's topics and consumer groups carry the installation's prefix. */
    @Test
    void theTopicPrefixReachesEveryService() throws IOException {
        List<JsonNode> manifests = render(t -> t.set("kafka.topicPrefix", "staging-"));
        for (String service : List.of("audience-service", "compute-service", "delivery-service", "alerting-service")) {
            assertEquals("staging-", env(deployment(manifests, service)).get("LA_TOPIC_PREFIX"), service);
        }
        assertNull(env(deployment(render(t -> t), "compute-service")).get("LA_TOPIC_PREFIX"), "none by default");
    }

    @Test
    void anUnknownEngineStopsRenderingWithTheChoices() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(t -> t.set("warehouse.engine", "oracle")));
        assertTrue(e.getMessage().contains("at '/warehouse/engine': value must be one of 'postgresql', 'redshift', 'snowflake', 'databricks',"
                + " 'bigquery', 'duckdb'"), e.getMessage());
    }

    @Test
    void aMissingCredentialIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(t -> t
                .set("warehouse.engine", "databricks").set("warehouse.databricks.authentication", "token")));
        assertTrue(e.getMessage().contains("set warehouse.secret.databricks-token or warehouse.existingSecret"), e.getMessage());
    }

    /** The chart rendered with ci/test-values.yaml and what {@code options} adds, as its manifests. */
    private static List<JsonNode> render(UnaryOperator<TemplateCommand> options) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("la").withKubeVersion("1.30.0")
                .withValuesFile(CHART.resolve("ci/test-values.yaml"));
        List<JsonNode> manifests = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(options.apply(template).call())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isEmpty()) {
                    manifests.add(document);
                }
            }
        }
        return manifests;
    }

    private static boolean kind(JsonNode manifest, String kind) {
        return manifest.path("kind").asText().equals(kind);
    }

    private static JsonNode deployment(List<JsonNode> manifests, String service) {
        return manifests.stream().filter(m -> kind(m, "Deployment") && m.path("metadata").path("name").asText().equals("la-" + service))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment of " + service));
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The container's environment: plain values as they are, a reference to a Secret as "secret:name/key". */
    private static Map<String, String> env(JsonNode deployment) {
        Map<String, String> env = new TreeMap<>();
        container(deployment).path("env").forEach(variable -> {
            JsonNode secret = variable.path("valueFrom").path("secretKeyRef");
            env.put(variable.path("name").asText(), secret.isMissingNode() ? variable.path("value").asText()
                    : "secret:" + secret.path("name").asText() + "/" + secret.path("key").asText());
        });
        return env;
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode volume : deployment.path("spec").path("template").path("spec").path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        return null;
    }

    private static String mountPath(JsonNode deployment, String volume) {
        for (JsonNode mount : container(deployment).path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of " + volume);
    }
}
