package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnrichmentTest {

    @Test
    void aSelectionIsThePrimaryKeyThenTheSelectedColumnsAndNoSelectionMeansEveryColumn() {
        ActivationChanged.Enrichment enrichment = new ActivationChanged.Enrichment(List.of("first_name"),
                Map.of("shopping_cart", List.of("status", "id"), "products", List.of()));
        assertEquals(Optional.of(List.of("id", "status")), enrichment.columnsOf("shopping_cart", "id"), "the key once, first");
        assertEquals(Optional.of(List.of("sku")), enrichment.columnsOf("products", "sku"), "an empty selection keeps the key");
        assertEquals(Optional.empty(), enrichment.columnsOf("user-accounts", "id"));
        assertEquals(Optional.empty(), new ActivationChanged.Enrichment(List.of()).columnsOf("shopping_cart", "id"));
    }

    @Test
    void anEnrichmentWithoutSelectionIsWrittenAsBefore() throws Exception {
        assertEquals("{\"traits\":[\"first_name\"]}", new ObjectMapper().writeValueAsString(new ActivationChanged.Enrichment(List.of("first_name"))));
    }

    @Test
    void anEnrichmentWrittenBeforeRelationshipsExistedEnrichesNone() throws Exception {
        ActivationChanged.Enrichment old = new ObjectMapper().readValue("{\"traits\":[\"first_name\"],\"entityColumns\":{}}",
                ActivationChanged.Enrichment.class);
        assertEquals(List.of(), old.relationshipsOrEmpty());
        ActivationChanged.Enrichment enriched = new ObjectMapper().readValue("{\"relationships\":[\"user-accounts\"]}",
                ActivationChanged.Enrichment.class);
        assertEquals(List.of("user-accounts"), enriched.relationshipsOrEmpty());
        assertEquals(List.of(), enriched.traitsOrEmpty());
    }

    @Test
    void strategiesAreTheirLowerCaseNames() {
        assertEquals(Optional.of(IdentifierStrategy.EACH_EMAIL), IdentifierStrategy.of("each_email"));
        assertEquals(Optional.empty(), IdentifierStrategy.of("EACH_EMAIL"));
        assertEquals(List.of("user_id_and_email", "user_id", "email", "each_email"), IdentifierStrategy.allValues());
    }
}
