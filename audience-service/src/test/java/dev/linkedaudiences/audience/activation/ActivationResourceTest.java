package dev.linkedaudiences.audience.activation;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.GuardRail;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.testsupport.TopicRecords;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static dev.linkedaudiences.audience.Api.sampleDefinition;
import static dev.linkedaudiences.audience.Api.sampleDataGraph;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@AudienceServiceTestResource
class ActivationResourceTest {
    @jakarta.inject.Inject
    SecretBox secrets;

    private static String iterable() {
        return owner().body(Map.of("name", "Iterable", "type", "iterable", "settings", Map.of("apiKey", "secret-key-123", "dataCenter", "eu")))
                .post("/api/v1/destinations").then().statusCode(201).extract().path("id");
    }

    private static String audience() {
        sampleDataGraph();
        String key = "act_" + UUID.randomUUID().toString().substring(0, 8);
        return owner().body(sample("audience.json").replace("\"abandoned_carts\"", "\"" + key + "\""))
                .post("/api/v1/audiences").then().statusCode(201).extract().path("id");
    }

    @Test
    void anActivationWithoutAnActionOrWithALongEventNameIsAProblemAtItsPointer() {
        String audience = audience();
        String destination = iterable();
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "trigger", "profile_entered"))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", org.hamcrest.Matchers.hasItem("/action"));
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "trigger", "profile_entered", "action", "trackEvent",
                        "eventName", "e".repeat(201)))
                .post("/api/v1/activations").then().statusCode(400).body("errors.pointer", org.hamcrest.Matchers.hasItem("/eventName"));
    }

    /** A definition that matches no entities. */
    private static final String TRAITS_ONLY = "{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
            + "[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"exists\"}]}]}";

    /** Edits the audience's definition. */
    private static void define(String audience, String definition) {
        owner().body("{\"name\":\"n\",\"definition\":" + definition + "}").put("/api/v1/audiences/" + audience).then().statusCode(200);
    }

    /** Whether activation-definitions carries a record of the activation saying it is invalid. */
    private static boolean announcedInvalid(String id) {
        java.util.function.Predicate<List<TopicRecords.Record>> invalid = all -> all.stream().filter(r -> id.equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).anyMatch(a -> "invalid".equals(a.status()));
        return invalid.test(TopicRecords.readUntil("activation-definitions", invalid, Duration.ofSeconds(20)));
    }

    @Test
    void destinationSecretsAreWriteOnly() {
        String id = iterable();
        as("read_only").get("/api/v1/destinations/" + id).then().statusCode(200)
                .body("settings.dataCenter", equalTo("eu")).body("settings.apiKey", equalTo(null))
                .body("secretsSet", hasItems("apiKey")).body(not(containsString("secret-key-123")));
        as("read_only").get("/api/v1/destinations").then().statusCode(200).body(not(containsString("secret-key-123")));
    }

    @Test
    void destinationsAreChecked() {
        owner().body(Map.of("type", "carrier-pigeon")).post("/api/v1/destinations").then().statusCode(400)
                .contentType("application/problem+json").body("errors.pointer", hasItems("/name", "/type"));
        owner().body(Map.of("name", "x", "type", "iterable", "settings", Map.of("dataCenter", "mars", "colour", "red")))
                .post("/api/v1/destinations").then().statusCode(400)
                .body("errors.pointer", hasItems("/settings/apiKey", "/settings/dataCenter", "/settings/colour"));
        as("engage_user").body(Map.of("name", "x", "type", "iterable", "settings", Map.of("apiKey", "k")))
                .post("/api/v1/destinations").then().statusCode(403);
    }

    @Test
    void anActivationIsAnnouncedWithItsDestinationSettings() {
        String destination = iterable();
        String audience = audience();
        String id = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_entered", "enrichment", Map.of("traits", List.of("first_name"))))
                .post("/api/v1/activations").then().statusCode(201)
                .body("eventName", equalTo("Audience Entered")).body("status", equalTo("valid")).body("backfill", equalTo(true))
                .extract().path("id");
        List<TopicRecords.Record> records = TopicRecords.readUntil("activation-definitions",
                all -> all.stream().anyMatch(r -> id.equals(r.key())), Duration.ofSeconds(20));
        ActivationChanged changed = records.stream().filter(r -> id.equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).findFirst().orElseThrow();
        String apiKey = changed.destination().settings().get("apiKey");
        assertTrue(SecretBox.isSealed(apiKey), "never in clear on the topic");
        assertEquals("secret-key-123", secrets.open(apiKey), "sealed with the key delivery-service holds");
        assertEquals(List.of("first_name"), changed.enrichment().traits());
        as("read_only").get("/api/v1/activations?audienceId=" + audience).then().statusCode(200).body("id", hasItems(id));
    }

    @Test
    void aDestinationUpdateKeepsTheSecretsLeftOutAndAnnouncesItsActivationsAgain() {
        String destination = iterable();
        String id = owner().body(Map.of("audienceId", audience(), "destinationId", destination, "action", "trackEvent",
                "trigger", "profile_entered")).post("/api/v1/activations").then().statusCode(201).extract().path("id");
        owner().body(Map.of("name", "Iterable US", "settings", Map.of("dataCenter", "us"))).put("/api/v1/destinations/" + destination)
                .then().statusCode(200).body("name", equalTo("Iterable US")).body("settings.dataCenter", equalTo("us"))
                .body("secretsSet", hasItems("apiKey")).body(not(containsString("secret-key-123")));
        ActivationChanged announced = TopicRecords.readUntil("activation-definitions", all -> all.stream()
                        .filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, ActivationChanged.class))
                        .anyMatch(c -> "us".equals(c.destination().settings().get("dataCenter"))), Duration.ofSeconds(20))
                .stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, ActivationChanged.class))
                .filter(c -> "us".equals(c.destination().settings().get("dataCenter"))).findFirst().orElseThrow();
        assertEquals("secret-key-123", secrets.open(announced.destination().settings().get("apiKey")), "the secret left out is kept");

        owner().body(Map.of("name", "", "type", "braze", "settings", Map.of("dataCenter", "mars"))).put("/api/v1/destinations/" + destination)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/name", "/type", "/settings/dataCenter"));
        as("engage_user").body(Map.of("name", "x")).put("/api/v1/destinations/" + destination).then().statusCode(403);
        owner().delete("/api/v1/destinations/" + destination).then().statusCode(409).contentType("application/problem+json");
        owner().delete("/api/v1/activations/" + id).then().statusCode(204);
        owner().delete("/api/v1/destinations/" + destination).then().statusCode(204);
        owner().get("/api/v1/destinations/" + destination).then().statusCode(404);
        owner().body(Map.of("name", "x")).put("/api/v1/destinations/" + destination).then().statusCode(404);
    }

    @Test
    void entityTriggersNameARelationshipTheAudienceMatches() {
        String destination = iterable();
        String audience = audience();
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", "entity_entered"))
                .post("/api/v1/activations").then().statusCode(400).body("errors.pointer", hasItems("/relationship"));
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", "profile_entered",
                        "relationship", "shopping_cart"))
                .post("/api/v1/activations").then().statusCode(400).body("errors.pointer", hasItems("/relationship"));
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", "entity_entered",
                        "relationship", "products"))
                .post("/api/v1/activations").then().statusCode(201).body("eventName", equalTo("Entity Added"))
                .body("relationship", equalTo("products"));
    }

    @Test
    void personalizationPathsFollowTheMessageShape() {
        String destination = iterable();
        String audience = audience();
        String id = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "entity_entered", "relationship", "shopping_cart", "enrichment", Map.of("traits", List.of("first_name"))))
                .post("/api/v1/activations").then().statusCode(201).extract().path("id");
        as("read_only").get("/api/v1/activations/" + id + "/personalization").then().statusCode(200)
                .body("paths", hasItems("{{first_name}}", "{{shopping_cart__id}}", "{{shopping_cart__products.[0].product_name}}",
                        "{{#each shopping_cart__products}}...{{/each}}", "{{__entity}}"))
                .body("samplePayload.shopping_cart__products[0].__entity", equalTo("product"))
                .body("samplePayload.__entity", equalTo("cart"));
        // the sample payload renders with the seed's template
        Map<String, Object> samplePayload = as("read_only").get("/api/v1/activations/" + id + "/personalization").path("samplePayload");
        String rendered = as("read_only").body(Map.of("template", sample("basic-email.hbs"), "payload", samplePayload))
                .post("/api/v1/templates/render").then().statusCode(200).extract().path("rendered");
        org.hamcrest.MatcherAssert.assertThat(rendered, containsString("&lt;product_name&gt;"));
    }

    @Test
    void anEntityActivationBecomesInvalidWhenTheDefinitionStopsMatchingItsRelationship() {
        String destination = iterable();
        String audience = audience();
        String id = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "entity_entered", "relationship", "shopping_cart"))
                .post("/api/v1/activations").then().statusCode(201).extract().path("id");
        define(audience, TRAITS_ONLY);
        owner().get("/api/v1/activations/" + id).then().statusCode(200).body("status", equalTo("invalid"))
                .body("invalidReason", containsString("shopping_cart"));
        org.junit.jupiter.api.Assertions.assertTrue(announcedInvalid(id), "compute-service and delivery-service learn that it is invalid");

        define(audience, sampleDefinition());
        owner().get("/api/v1/activations/" + id).then().statusCode(200).body("status", equalTo("valid")).body("invalidReason", equalTo(null));
    }

    @Test
    void profileTriggersEnrichRelationshipsTheAudienceMatchesAndSelectColumnsBelowThem() {
        String destination = iterable();
        String audience = audience();
        String id = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_entered", "enrichment", Map.of("relationships", List.of("user-accounts"),
                                "entityColumns", Map.of("shopping_cart", List.of("status"), "products", List.of("product_name")))))
                .post("/api/v1/activations").then().statusCode(201)
                .body("enrichment.relationships", equalTo(List.of("user-accounts"))).extract().path("id");
        ActivationChanged announced = TopicRecords.readUntil("activation-definitions",
                        all -> all.stream().anyMatch(r -> id.equals(r.key())), Duration.ofSeconds(20))
                .stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, ActivationChanged.class)).findFirst().orElseThrow();
        assertEquals(List.of("user-accounts"), announced.enrichment().relationships());

        List<String> paths = as("read_only").get("/api/v1/activations/" + id + "/personalization").then().statusCode(200)
                .body("samplePayload.user-accounts[0].__entity", equalTo("account"))
                .body("samplePayload.user-accounts[0].shopping_cart[0].keySet()", equalTo(java.util.Set.of("id", "status", "__entity", "products")))
                .body("samplePayload.user-accounts[0].shopping_cart[0].products[0].keySet()", equalTo(java.util.Set.of("sku", "product_name", "__entity")))
                .body("samplePayload.__entity", equalTo(null))
                .extract().path("paths");
        org.hamcrest.MatcherAssert.assertThat(paths, hasItems("{{#each user-accounts}}...{{/each}}", "{{user-accounts.[0].email}}",
                "{{user-accounts.[0].shopping_cart.[0].status}}", "{{#each user-accounts.[0].shopping_cart}}...{{/each}}",
                "{{user-accounts.[0].shopping_cart.[0].products.[0].product_name}}"));

        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", "profile_exited",
                        "enrichment", Map.of("relationships", List.of("shopping_cart", "nowhere"),
                                "entityColumns", Map.of("user-accounts", List.of("email"), "products", List.of("sku")))))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/enrichment/relationships/1", "/enrichment/entityColumns/user-accounts"))
                .body("errors.find { it.pointer == '/enrichment/relationships/1' }.message",
                        equalTo("'nowhere' is not a relationship the audience matches entities of: one of [products, shopping_cart, user-accounts]"));
        // enriched traits and relationships are properties of one message: their names may not meet
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", "profile_entered",
                        "enrichment", Map.of("traits", List.of("first_name", "audience_key", "shopping_cart"),
                                "relationships", List.of("user-accounts", "shopping_cart"))))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.pointer == '/enrichment/relationships/1' }.message",
                        equalTo("'shopping_cart' is also an enriched trait: both would be the message property of that name"))
                .body("errors.findAll { it.pointer == '/enrichment/traits/1' }.message",
                        hasItem("'audience_key' is a property every message has already; a trait of that name cannot be enriched"))
                .body("errors.pointer", not(hasItem("/enrichment/relationships/0")));
        for (String trigger : List.of("entity_entered", "membership_changed")) {
            owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", trigger,
                            "relationship", "shopping_cart", "enrichment", Map.of("relationships", List.of("user-accounts"))))
                    .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.pointer", hasItems("/enrichment/relationships"));
        }
    }

    @Test
    void aProfileActivationBecomesInvalidWhenTheDefinitionStopsMatchingItsEnrichedRelationships() {
        String destination = iterable();
        String audience = audience();
        String id = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_exited", "enrichment", Map.of("relationships", List.of("user-accounts", "products"))))
                .post("/api/v1/activations").then().statusCode(201).body("status", equalTo("valid")).extract().path("id");
        define(audience, TRAITS_ONLY);
        owner().get("/api/v1/activations/" + id).then().statusCode(200).body("status", equalTo("invalid"))
                .body("invalidReason", equalTo("the audience definition no longer matches entities of relationships 'user-accounts', 'products'"));
        org.junit.jupiter.api.Assertions.assertTrue(announcedInvalid(id), "compute-service and delivery-service learn that it is invalid");
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent", "trigger", "profile_entered",
                        "enrichment", Map.of("relationships", List.of("user-accounts"))))
                .post("/api/v1/activations").then().statusCode(400)
                .body("errors.pointer", equalTo(List.of("/enrichment/relationships/0")))
                .body("errors[0].message", equalTo("'user-accounts' is not a relationship the audience matches entities of: one of []"));

        define(audience, sampleDefinition());
        owner().get("/api/v1/activations/" + id).then().statusCode(200).body("status", equalTo("valid")).body("invalidReason", equalTo(null));
    }

    @Test
    void theMessageShapeIsStoredAnnouncedAndReflectedInThePersonalizationPaths() {
        String destination = iterable();
        String audience = audience();
        String plain = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_entered"))
                .post("/api/v1/activations").then().statusCode(201)
                .body("maxEntitiesPerLevel", equalTo(10)).body("identifiers", equalTo("user_id_and_email"))
                .body("enrichment.entityColumns", equalTo(null)).extract().path("id");
        String shaped = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "entity_entered", "relationship", "shopping_cart", "maxEntitiesPerLevel", 100, "identifiers", "each_email",
                        "enrichment", Map.of("traits", List.of("first_name"),
                                "entityColumns", Map.of("shopping_cart", List.of("status"), "products", List.of("product_name")))))
                .post("/api/v1/activations").then().statusCode(201)
                .body("maxEntitiesPerLevel", equalTo(100)).body("identifiers", equalTo("each_email"))
                .body("enrichment.entityColumns.products", equalTo(List.of("product_name"))).extract().path("id");

        List<TopicRecords.Record> records = TopicRecords.readUntil("activation-definitions",
                all -> all.stream().filter(r -> shaped.equals(r.key()) || plain.equals(r.key())).count() >= 2, Duration.ofSeconds(20));
        ActivationChanged changed = records.stream().filter(r -> shaped.equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).findFirst().orElseThrow();
        assertEquals(100, changed.maxEntitiesPerLevel());
        assertEquals("each_email", changed.identifiers());
        assertEquals(Map.of("shopping_cart", List.of("status"), "products", List.of("product_name")), changed.enrichment().entityColumns());
        ActivationChanged defaults = records.stream().filter(r -> plain.equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).findFirst().orElseThrow();
        assertEquals(10, defaults.maxEntitiesPerLevel());
        assertEquals("user_id_and_email", defaults.identifiers());

        List<String> paths = as("read_only").get("/api/v1/activations/" + shaped + "/personalization").then().statusCode(200)
                .body("samplePayload.shopping_cart__products[0].keySet()", equalTo(java.util.Set.of("sku", "product_name", "__entity")))
                .extract().path("paths");
        assertEquals(List.of("{{audience_key}}", "{{first_name}}", "{{shopping_cart__id}}", "{{shopping_cart__status}}",
                "{{shopping_cart__products.[0].sku}}", "{{shopping_cart__products.[0].product_name}}",
                "{{#each shopping_cart__products}}...{{/each}}", "{{__entity}}"), paths, "the primary key, then the selected columns");
    }

    /** An activation's guard rail is checked, kept, shown and announced; compute-service holds runs by it. */
    @Test
    void aGuardRailIsCheckedShownAndAnnounced() {
        String destination = iterable();
        String audience = audience();
        String id = owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_entered", "guardRail", Map.of("maxChangeCount", 500)))
                .post("/api/v1/activations").then().statusCode(201).body("guardRail.maxChangeCount", equalTo(500))
                .extract().path("id");
        ActivationChanged changed = TopicRecords.readUntil("activation-definitions", all -> all.stream().anyMatch(r -> id.equals(r.key())),
                        Duration.ofSeconds(20)).stream().filter(r -> id.equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).findFirst().orElseThrow();
        assertEquals(new GuardRail(null, 500L), changed.guardRail());
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_entered", "guardRail", Map.of("maxChangePercent", -5)))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/guardRail/maxChangePercent"));
    }

    @Test
    void theMessageShapeIsChecked() {
        String destination = iterable();
        String audience = audience();
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "entity_entered", "relationship", "shopping_cart", "maxEntitiesPerLevel", 0, "identifiers", "fax",
                        "enrichment", Map.of("entityColumns", Map.of("nowhere", List.of("id"), "user-accounts", List.of("id"),
                                "products", List.of("product_name", "colour")))))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/maxEntitiesPerLevel", "/identifiers", "/enrichment/entityColumns/nowhere",
                        "/enrichment/entityColumns/user-accounts", "/enrichment/entityColumns/products/1"))
                .body("errors.find { it.pointer == '/enrichment/entityColumns/products/1' }.message",
                        equalTo("unknown column 'colour' of prod.product_skus"));
        owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", "trackEvent",
                        "trigger", "profile_entered", "maxEntitiesPerLevel", 101,
                        "enrichment", Map.of("entityColumns", Map.of("products", List.of("sku")))))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/maxEntitiesPerLevel", "/enrichment/entityColumns"));
    }

    @Test
    void activationsAreChecked() {
        sampleDataGraph();
        String destination = iterable();
        owner().body(Map.of("audienceId", "nope", "destinationId", destination, "action", "sendCarrierPigeon",
                        "trigger", "sometimes", "enrichment", Map.of("traits", List.of("first_name", "shoe_size"))))
                .post("/api/v1/activations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/audienceId", "/action", "/trigger", "/enrichment/traits/1"));
    }
}
