package dev.linkedaudiences.audience.template;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Iterable seed's templates, rendered against the seed's example payload, and templates a hostile user writes. */
@QuarkusTest
@AudienceServiceTestResource
class TemplateResourceTest {
    private static final Map<String, Object> SEED_PAYLOAD = Map.of(
            "first_name", "Andrew",
            "last_name", "Shopper",
            "shopping_cart__id", "123",
            "shopping_cart__products", List.of(
                    Map.of("id", "324", "product_name", "Premium Tennis Shoes", "product_price", "$140", "__entity", "product"),
                    Map.of("id", "489", "product_name", "Premium Jacket", "product_price", "$200", "__entity", "product")),
            "__entity", "cart");

    private static ValidatableResponse post(String template, Object payload) {
        return as("read_only").body(Map.of("template", template, "payload", payload)).post("/api/v1/templates/render").then();
    }

    private static String render(String template) {
        return post(template, SEED_PAYLOAD).statusCode(200).extract().path("rendered");
    }

    /** A 400 problem at /template whose message says {@code why}. */
    private static ValidatableResponse refused(String template, Object payload, String why) {
        return post(template, payload).statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/template")).body("errors[0].message", containsString(why));
    }

    @Test
    void theBasicSeedTemplateRendersAsIterableRendersIt() {
        assertEquals("""
                Hi Andrew,
                <br />
                <br />
                Did you forget to checkout?<br />
                <br />
                We noticed you added some items to your shopping cart including this item: <br />
                <br />
                <b>Product Name: </b>\s
                Premium Tennis Shoes
                <br />
                <b>Product Price: </b>\s
                $140 USD
                <br />
                <br />

                Quick, now is your chance to own this item before it sells out!

                """, render(sample("basic-email.hbs")));
    }

    /** Issue 12, finding 12: the lines holding only {{#each}} or {{/each}} left three newlines behind. */
    @Test
    void theAdvancedSeedTemplateRendersAsIterableRendersIt() {
        assertEquals("""
                Hi Andrew,
                <br />
                <br />
                Did you forget to checkout?<br />
                <br />
                We noticed you added some items to your shopping cart. Here's what you left: <br />
                <br />

                <b>Product Name: </b>
                Premium Tennis Shoes
                <br />
                <b>Product Price: </b>
                $140 USD
                <br />
                <br />

                <b>Product Name: </b>
                Premium Jacket
                <br />
                <b>Product Price: </b>
                $200 USD
                <br />
                <br />


                Quick, now is your chance to own these items before they sell out!
                """, render(sample("advanced-email.hbs")));
    }

    @Test
    void bothArrayIndexFormsWork() {
        assertEquals("Premium Jacket|Premium Jacket",
                render("{{shopping_cart__products.[1].product_name}}|{{shopping_cart__products[1].product_name}}"));
    }

    @Test
    void badRequestsNameTheField() {
        owner().body(Map.of("payload", Map.of())).post("/api/v1/templates/render").then().statusCode(400)
                .contentType("application/problem+json").body("errors.pointer", hasItems("/template"));
        owner().body(Map.of("template", "{{#each}}", "payload", Map.of())).post("/api/v1/templates/render").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/template"));
    }

    /** Issue 12, finding 2: 80,000 '{' took 78 s of CPU in the regex that rewrote array indexes. */
    @Test
    void aHugeTemplateIsRefusedAtItsSizeAndOneWithinItIsParsedLinearly() {
        refused("{".repeat(80_000), Map.of(), "is longer than 65536 characters");
        refused("{".repeat(65_536), Map.of(), "the template");
    }

    /** Issue 12, finding 3 and "templates are safe to render for any role": each answers a 400 problem, none a value of the configuration. */
    @Test
    void hostileTemplatesAreRefusedAndReadNoConfiguration() {
        List<Integer> twoHundred = IntStream.range(0, 200).boxed().toList();
        refused("{{i18n \"quarkus.datasource.password\" bundle=\"application\"}}", Map.of(), "calls 'i18n'");
        refused("{{i18n \"quarkus.datasource.jdbc.url\" bundle=\"application\"}}", Map.of(), "calls 'i18n'")
                .body(not(containsString("jdbc:postgresql"))).body(not(containsString("127.0.0.1")));
        refused("{{log \"x\n2026-01-01 12:00:00,000 INFO [io.quarkus] forged\"}}", Map.of(), "calls 'log'");
        refused("{{#*inline \"r\"}}{{> r}}{{/inline}}{{> r}}", Map.of(), "inline partials");
        refused("{{> application.properties}}", Map.of(), "partials");
        refused("{{#each a}}{{#each ../a}}{{#each ../../a}}{{this}}{{/each}}{{/each}}{{/each}}", Map.of("a", twoHundred), "(limit reached)");
        refused("{{#with a}}".repeat(40) + "{{/with}}".repeat(40), Map.of(), "nests blocks more than 32 deep");
        refused("{{#each a}}{{../big}}{{/each}}", Map.of("a", twoHundred, "big", "x".repeat(10_000)), "renders more than 1048576 characters");
    }
}
