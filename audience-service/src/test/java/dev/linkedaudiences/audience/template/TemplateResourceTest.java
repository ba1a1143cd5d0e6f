package dev.linkedaudiences.audience.template;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The Iterable seed's templates, rendered against the seed's example payload. */
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

    private static String render(String template) {
        return as("read_only").body(Map.of("template", template, "payload", SEED_PAYLOAD))
                .post("/api/v1/templates/render").then().statusCode(200).extract().path("rendered");
    }

    @Test
    void theBasicSeedTemplateNamesTheFirstProduct() {
        String rendered = render(sample("basic-email.hbs"));
        org.hamcrest.MatcherAssert.assertThat(rendered, containsString("Hi Andrew,"));
        org.hamcrest.MatcherAssert.assertThat(rendered, containsString("<b>Product Name: </b> \nPremium Tennis Shoes\n"));
        org.hamcrest.MatcherAssert.assertThat(rendered, containsString("$140 USD"));
    }

    @Test
    void theAdvancedSeedTemplateListsEveryProduct() {
        String rendered = render("{{#each shopping_cart__products}}<b>Product Name: </b>\n{{product_name}}\n"
                + "<b>Product Price: </b>\n{{product_price}} USD\n{{/each}}");
        org.junit.jupiter.api.Assertions.assertEquals("<b>Product Name: </b>\nPremium Tennis Shoes\n<b>Product Price: </b>\n$140 USD\n"
                + "<b>Product Name: </b>\nPremium Jacket\n<b>Product Price: </b>\n$200 USD\n", rendered);
    }

    @Test
    void bothArrayIndexFormsWork() {
        org.junit.jupiter.api.Assertions.assertEquals("Premium Jacket|Premium Jacket",
                render("{{shopping_cart__products.[1].product_name}}|{{shopping_cart__products[1].product_name}}"));
    }

    @Test
    void badRequestsNameTheField() {
        owner().body(Map.of("payload", Map.of())).post("/api/v1/templates/render").then().statusCode(400)
                .contentType("application/problem+json").body("errors.pointer", hasItems("/template"));
        owner().body(Map.of("template", "{{#each}}", "payload", Map.of())).post("/api/v1/templates/render").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/template"));
    }
}
