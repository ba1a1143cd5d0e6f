package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import dev.linkedaudiences.contracts.event.GuardRail;
import dev.linkedaudiences.contracts.event.RunRequested;
import dev.linkedaudiences.testsupport.TopicRecords;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static dev.linkedaudiences.audience.Api.sampleDataGraph;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@AudienceServiceTestResource
class AudienceResourceTest {

    @BeforeEach
    void graph() {
        sampleDataGraph();
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String create(String key, String definition) {
        return owner().body("{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"definition\":" + definition + "}")
                .post("/api/v1/audiences").then().statusCode(201).extract().path("id");
    }

    private static String traitDefinition() {
        return "{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"exists\"}]}]}";
    }

    private static String referencing(String key) {
        return "{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":[{\"type\":\"audience\",\"audience\":\"" + key + "\"}]}]}";
    }

    @Test
    void anAudienceIsCreatedDisabledAndAnnouncedWithItsGraph() {
        String key = unique("carts");
        String body = sample("audience.json").replace("\"abandoned_carts\"", "\"" + key + "\"");
        String id = owner().body(body).post("/api/v1/audiences").then().statusCode(201)
                .body("enabled", equalTo(false)).body("schedule.type", equalTo("manual"))
                .body("definition.groups[0].conditions[1].relationship", equalTo("user-accounts"))
                .extract().path("id");
        as("read_only").get("/api/v1/audiences/" + id).then().statusCode(200).body("key", equalTo(key));

        List<TopicRecords.Record> records = TopicRecords.readUntil("audience-definitions",
                all -> all.stream().anyMatch(r -> id.equals(r.key())), Duration.ofSeconds(20));
        AudienceChanged changed = records.stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, AudienceChanged.class))
                .findFirst().orElseThrow();
        assertEquals(key, changed.key());
        assertTrue(changed.dataGraph().columnType("prod.carts", "status").isPresent(), "the graph travels with its catalog");
    }

    /** A guard rail is checked, kept, shown, copied and announced to compute-service, which holds runs by it. */
    @Test
    void aGuardRailIsValidatedStoredAndAnnounced() {
        String key = unique("guarded");
        String id = owner().body("{\"key\":\"" + key + "\",\"name\":\"Guarded\",\"definition\":" + traitDefinition()
                        + ",\"guardRail\":{\"maxChangePercent\":12.5,\"maxChangeCount\":1000}}")
                .post("/api/v1/audiences").then().statusCode(201)
                .body("guardRail.maxChangePercent", equalTo(12.5f)).body("guardRail.maxChangeCount", equalTo(1000))
                .extract().path("id");
        AudienceChanged changed = TopicRecords.readUntil("audience-definitions", all -> all.stream().anyMatch(r -> id.equals(r.key())),
                        Duration.ofSeconds(20)).stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, AudienceChanged.class))
                .findFirst().orElseThrow();
        assertEquals(new GuardRail(12.5, 1000L), changed.guardRail());
        owner().post("/api/v1/audiences/" + id + "/clone").then().statusCode(201).body("guardRail.maxChangeCount", equalTo(1000));

        owner().body("{\"key\":\"" + key + "\",\"name\":\"Guarded\",\"definition\":" + traitDefinition()
                        + ",\"guardRail\":{\"maxChangePercent\":0,\"maxChangeCount\":-1}}")
                .put("/api/v1/audiences/" + id).then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/guardRail/maxChangePercent", "/guardRail/maxChangeCount"));
        owner().body("{\"key\":\"" + key + "\",\"name\":\"Guarded\",\"definition\":" + traitDefinition() + ",\"guardRail\":{}}")
                .put("/api/v1/audiences/" + id).then().statusCode(400).body("errors[0].pointer", equalTo("/guardRail"));
        // without one, the audience has none: runs publish whatever they change
        owner().body("{\"key\":\"" + key + "\",\"name\":\"Guarded\",\"definition\":" + traitDefinition() + "}")
                .put("/api/v1/audiences/" + id).then().statusCode(200).body("guardRail", equalTo(null));
    }

    @Test
    void enablingAnnouncesTheAudienceAndRequestsARun() {
        String id = create(unique("enable"), traitDefinition());
        owner().post("/api/v1/audiences/" + id + "/enable").then().statusCode(200).body("enabled", equalTo(true));

        List<TopicRecords.Record> requests = TopicRecords.readUntil("run-requests",
                all -> all.stream().anyMatch(r -> id.equals(r.key())), Duration.ofSeconds(20));
        RunRequested request = requests.stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, RunRequested.class))
                .findFirst().orElseThrow();
        assertEquals("enable", request.trigger());
        List<TopicRecords.Record> definitions = TopicRecords.readUntil("audience-definitions",
                all -> all.stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, AudienceChanged.class)).anyMatch(AudienceChanged::enabled),
                Duration.ofSeconds(20));
        assertTrue(definitions.stream().filter(r -> id.equals(r.key())).map(r -> TopicRecords.read(r, AudienceChanged.class)).anyMatch(AudienceChanged::enabled));

        owner().post("/api/v1/audiences/" + id + "/disable").then().statusCode(200).body("enabled", equalTo(false));
    }

    @Test
    void everyInvalidPartOfADefinitionIsListedByPointer() {
        String definition = """
                {"operator": "and", "groups": [{"operator": "and", "conditions": [
                  {"type": "entity", "relationship": "no-such-relationship"},
                  {"type": "trait", "trait": "first_name", "op": "greater_than", "value": {"const": "A"}},
                  {"type": "trait", "trait": "first_name", "op": "equals", "value": {"const": 5}},
                  {"type": "entity", "relationship": "user-accounts", "children": {"operator": "and", "conditions": [
                    {"type": "entity", "relationship": "products"}]}},
                  {"type": "entity", "relationship": "user-accounts", "count": {"op": "exactly", "value": 0},
                   "where": {"operator": "and", "filters": [{"column": "status", "op": "exists"}]}},
                  {"type": "entity", "relationship": "user-accounts", "children": {"operator": "and", "conditions": [
                    {"type": "entity", "relationship": "shopping_cart", "where": {"operator": "and", "filters": [
                      {"column": "status", "op": "equals", "value": {"column": {"relationship": "products", "column": "product_name"}}}]}}]}},
                  {"type": "audience", "audience": "no_such_audience"},
                  {"type": "event", "event": "Order Completed", "within": {"amount": 0, "unit": "fortnights"},
                   "where": {"operator": "and", "filters": [{"property": "no_such_property", "op": "exists"}]}},
                  {"type": "trait", "trait": "no_such_trait", "op": "exists"},
                  {"type": "entity", "relationship": "user-accounts", "count": {"op": "at_least", "value": 0}}
                ]}]}""";
        String c = "/definition/groups/0/conditions/";
        owner().body("{\"key\":\"" + unique("bad") + "\",\"name\":\"Bad\",\"definition\":" + definition + "}")
                .post("/api/v1/audiences").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems(c + "0/relationship", c + "1/op", c + "2/value",
                        c + "3/children/conditions/0/relationship", c + "4/count",
                        c + "5/children/conditions/0/where/filters/0/value", c + "6/audience",
                        c + "7/within", c + "7/where/filters/0/property", c + "8/trait", c + "9/count"))
                .body("errors", hasSize(12));
    }

    @Test
    void aRequestWithManyProblemsIsAnsweredOnceWithAllOfThem() {
        String taken = unique("taken");
        create(taken, traitDefinition());
        String body = """
                {"key": "%s", "schedule": {"type": "day_and_time", "days": [null, "MON"], "times": ["8am"]},
                 "definition": {"groups": [null, {"conditions": [null,
                   {"type": "event", "event": "Order Completed", "within": {"amount": 7}},
                   {"type": "entity", "relationship": "user-accounts", "count": {"op": "exactly"},
                    "where": {"filters": [null, {"column": "status"}]}, "children": {"conditions": [{"type": "trait"}]}}]}]}}"""
                .formatted(taken);
        String g = "/definition/groups/1";
        owner().body(body).post("/api/v1/audiences").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/key", "/name", "/schedule/days", "/schedule/times",
                        "/definition/operator", "/definition/groups/0", g + "/operator", g + "/conditions/0", g + "/conditions/1/within",
                        g + "/conditions/2/count", g + "/conditions/2/where/operator", g + "/conditions/2/where/filters/0",
                        g + "/conditions/2/where/filters/1/op", g + "/conditions/2/children/operator",
                        g + "/conditions/2/children/conditions/0/type"));
    }

    @Test
    void anUpdateIsCheckedLikeACreateAndChangesNothingWhenInvalid() {
        String id = create(unique("update"), traitDefinition());
        String definition = """
                {"operator": "and", "groups": [{"operator": "or", "conditions": [
                  {"type": "entity", "relationship": "user-accounts", "count": {"op": "at_most", "value": 0},
                   "where": {"operator": "and", "filters": [{"column": "status", "op": "exists"}]}},
                  {"type": "event", "event": "Order Completed", "count": {"op": "exactly", "value": 0}, "within": {"amount": 3, "unit": "days"},
                   "where": {"operator": "and", "filters": [{"property": "total", "op": "equals",
                     "value": {"column": {"relationship": "user-accounts", "column": "status"}}}]}}]}]}""";
        String c = "/definition/groups/0/conditions/";
        owner().body("{\"key\": \"renamed\", \"name\": \"U\", \"definition\": " + definition + "}").put("/api/v1/audiences/" + id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/key", c + "0/count", c + "1/where/filters/0/value"));
        owner().get("/api/v1/audiences/" + id).then().statusCode(200)
                .body("definition.groups[0].conditions[0].type", equalTo("trait"));
    }

    @Test
    void aFractionalCountIsRefusedNotTruncated() {
        String definition = "{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":[{\"type\":\"entity\","
                + "\"relationship\":\"user-accounts\",\"count\":{\"op\":\"at_least\",\"value\":1.5}}]}]}";
        owner().body("{\"key\":\"" + unique("fraction") + "\",\"name\":\"F\",\"definition\":" + definition + "}")
                .post("/api/v1/audiences").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/definition/groups/0/conditions/0/count/value"));
    }

    @Test
    void jsonOfTheWrongShapeIsAProblem() {
        String valueNotAnObject = "{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":[{\"type\":\"trait\","
                + "\"trait\":\"first_name\",\"op\":\"equals\",\"value\":\"Andrew\"}]}]}";
        for (String body : List.of("{", "[]", "{\"key\":\"k\",\"name\":\"N\",\"definition\":" + valueNotAnObject + "}",
                "{\"key\":\"k\",\"name\":\"N\",\"definition\":{\"operator\":\"and\",\"groups\":{}}}")) {
            owner().body(body).post("/api/v1/audiences").then().log().ifValidationFails().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void theRequestItselfIsChecked() {
        owner().body("{\"key\":\"Not A Slug\",\"schedule\":{\"type\":\"interval\",\"every\":\"PT5M\"},"
                        + "\"definition\":{\"operator\":\"xor\",\"groups\":[]}}")
                .post("/api/v1/audiences").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/key", "/name", "/schedule/every", "/definition/operator", "/definition/groups"));
        owner().post("/api/v1/audiences").then().statusCode(400).contentType("application/problem+json");
        for (String noDefinition : List.of("", ",\"definition\":null")) {
            owner().body("{\"key\":\"" + unique("none") + "\",\"name\":\"N\"" + noDefinition + "}").post("/api/v1/audiences")
                    .then().statusCode(400).contentType("application/problem+json").body("errors.pointer", equalTo(List.of("/definition")));
        }
        owner().get("/api/v1/audiences?limit=0").then().statusCode(400).body("errors[0].pointer", equalTo("/limit"));
    }

    @Test
    void cyclesAreRejectedAndReferencedAudiencesCannotBeDeleted() {
        String a = unique("a");
        String b = unique("b");
        String idA = create(a, traitDefinition());
        String idB = create(b, referencing(a));
        owner().body("{\"name\":\"A\",\"definition\":" + referencing(b) + "}").put("/api/v1/audiences/" + idA)
                .then().statusCode(400).body("errors[0].pointer", equalTo("/definition/groups/0/conditions/0/audience"));
        owner().body("{\"name\":\"A\",\"definition\":" + referencing(a) + "}").put("/api/v1/audiences/" + idA)
                .then().statusCode(400).body("errors[0].message", equalTo("an audience cannot reference itself"));
        owner().delete("/api/v1/audiences/" + idA).then().statusCode(409).contentType("application/problem+json");
        owner().delete("/api/v1/audiences/" + idB).then().statusCode(204);
        owner().delete("/api/v1/audiences/" + idA).then().statusCode(204);
        owner().get("/api/v1/audiences/" + idA).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aCloneIsANewDisabledAudienceWithTheSameDefinition() {
        String id = create(unique("original"), traitDefinition());
        owner().post("/api/v1/audiences/" + id + "/enable").then().statusCode(200);
        owner().post("/api/v1/audiences/" + id + "/clone").then().statusCode(201)
                .body("id", not(equalTo(id))).body("enabled", equalTo(false))
                .body("definition.groups[0].conditions[0].trait", equalTo("first_name"));
    }

    @Test
    void theListIsPaginatedWithAnOpaqueCursor() {
        for (int i = 0; i < 3; i++) {
            create(unique("page"), traitDefinition());
        }
        String cursor = owner().get("/api/v1/audiences?limit=2").then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", notNullValue()).extract().path("nextCursor");
        owner().get("/api/v1/audiences?limit=200&cursor=" + cursor).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1)).body("nextCursor", nullValue());
    }

    @Test
    void rolesGuardWrites() {
        RestAssured.given().get("/api/v1/audiences").then().statusCode(401);
        as("read_only").get("/api/v1/audiences").then().statusCode(200);
        as("read_only").body(Map.of("key", "x")).post("/api/v1/audiences").then().statusCode(403);
        as("engage_user").body("{\"key\":\"" + unique("engage") + "\",\"name\":\"E\",\"definition\":" + traitDefinition() + "}")
                .post("/api/v1/audiences").then().statusCode(201);
    }

    @Test
    void unknownAudiencesAreNotFound() {
        owner().post("/api/v1/audiences/" + UUID.randomUUID() + "/enable").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        as("read_only").get("/api/v1/audiences").then().body("items.key", not(hasItem("never")));
    }
}
