package dev.linkedaudiences.compute.message;

import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.IdentifierStrategy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The message builder's identifier strategies and 32 KB limit, without a warehouse. */
class ActivationMessagesTest {
    private static final ActivationMessages.RunContext RUN = new ActivationMessages.RunContext("run-1",
            Instant.parse("2026-11-24T08:00:00Z"), "aud-1", "abandoned_carts");
    private static final ProfileChange ANDREW = new ProfileChange("p_andrew", "u123",
            List.of("andrew@example.com", "andrew@work.example.com"), Map.of("first_name", "Andrew"));
    /** The ids the builder gave these events before identifier strategies existed: they must not change. */
    private static final String ANDREW_ENTERED_ID = "01M86938009S8B52SVPZS1FPRB";
    private static final String ANDREW_CART_ENTERED_ID = "01M86938005YZQCJY2XH3P46T4";

    private static ActivationMessages.Activation activation(String trigger, IdentifierStrategy identifiers, String... traits) {
        return new ActivationMessages.Activation("act-1", trigger, "Cart Abandoned", List.of(traits), identifiers);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contextTraits(ActivationEvent event) {
        return (Map<String, Object>) ((Map<String, Object>) event.message().get("context")).get("traits");
    }

    @Test
    void theDefaultCarriesUserIdAndTheSmallestEmailWithTheIdsMessagesAlwaysHad() {
        List<ActivationEvent> events = ActivationMessages.events(RUN, activation("profile_entered", IdentifierStrategy.USER_ID_AND_EMAIL, "first_name"), ANDREW);
        assertEquals(1, events.size());
        ActivationEvent event = events.get(0);
        assertEquals("u123", event.message().get("userId"));
        assertEquals(Map.of("email", "andrew@example.com"), contextTraits(event));
        assertEquals(ANDREW_ENTERED_ID, event.messageId());
        assertNull(event.filteredAtSource());

        ActivationEvent cart = ActivationMessages.events(RUN, activation("entity_entered", IdentifierStrategy.USER_ID_AND_EMAIL), ANDREW,
                "123", Map.of("shopping_cart__id", "123")).get(0);
        assertEquals(ANDREW_CART_ENTERED_ID, cart.messageId());
    }

    @Test
    void userIdOrEmailAloneLeaveTheOtherOut() {
        ActivationEvent byUserId = ActivationMessages.events(RUN, activation("profile_entered", IdentifierStrategy.USER_ID), ANDREW).get(0);
        assertEquals("u123", byUserId.message().get("userId"));
        assertEquals(Map.of(), contextTraits(byUserId));
        assertEquals(ANDREW_ENTERED_ID, byUserId.messageId());

        ActivationEvent byEmail = ActivationMessages.events(RUN, activation("profile_entered", IdentifierStrategy.EMAIL), ANDREW).get(0);
        assertFalse(byEmail.message().containsKey("userId"));
        assertEquals(Map.of("email", "andrew@example.com"), contextTraits(byEmail));
        assertEquals(ANDREW_ENTERED_ID, byEmail.messageId());
    }

    @Test
    void eachEmailSendsOneMessagePerEmailEachWithItsOwnStableId() {
        ActivationMessages.Activation activation = activation("profile_entered", IdentifierStrategy.EACH_EMAIL, "first_name");
        List<ActivationEvent> events = ActivationMessages.events(RUN, activation, ANDREW);
        assertEquals(List.of("andrew@example.com", "andrew@work.example.com"), events.stream().map(e -> contextTraits(e).get("email")).toList());
        assertTrue(events.stream().allMatch(e -> "u123".equals(e.message().get("userId")) && e.partitionKey().equals("act-1:p_andrew")));
        assertEquals(List.of(
                        MessageIds.of(RUN.runStart(), "act-1", "profile_entered", "p_andrew", null, "run-1", "andrew@example.com"),
                        MessageIds.of(RUN.runStart(), "act-1", "profile_entered", "p_andrew", null, "run-1", "andrew@work.example.com")),
                events.stream().map(ActivationEvent::messageId).toList());
        assertNotEquals(events.get(0).messageId(), events.get(1).messageId());
        assertFalse(events.stream().anyMatch(e -> e.messageId().equals(ANDREW_ENTERED_ID)));
        assertEquals(events.stream().map(ActivationEvent::messageId).toList(),
                ActivationMessages.events(RUN, activation, ANDREW).stream().map(ActivationEvent::messageId).toList(), "stable");

        List<ActivationEvent> identifies = ActivationMessages.identifies(RUN, activation("membership_changed", IdentifierStrategy.EACH_EMAIL), ANDREW, true);
        assertEquals(2, identifies.size());
        assertEquals(Map.of("abandoned_carts", true), identifies.get(1).message().get("traits"));

        ProfileChange noEmail = new ProfileChange("p_eve", "u456", List.of(), Map.of());
        List<ActivationEvent> withoutEmail = ActivationMessages.events(RUN, activation, noEmail);
        assertEquals(1, withoutEmail.size(), "a profile without email still gets its message");
        assertEquals(Map.of(), contextTraits(withoutEmail.get(0)));
        assertEquals(MessageIds.of(RUN.runStart(), "act-1", "profile_entered", "p_eve", null, "run-1"), withoutEmail.get(0).messageId());
    }

    @Test
    void aMessageOver32KilobytesIsFilteredAtSourceAndTravelsAsItsEnvelope() {
        ActivationMessages.Activation activation = activation("profile_entered", IdentifierStrategy.USER_ID_AND_EMAIL, "bio");
        int overhead = ActivationMessages.jsonBytes(ActivationMessages.events(RUN, activation, profile("")).get(0).message());
        int room = ActivationMessages.MAX_MESSAGE_BYTES - overhead;

        ActivationEvent atTheLimit = ActivationMessages.events(RUN, activation, profile("x".repeat(room))).get(0);
        assertEquals(ActivationMessages.MAX_MESSAGE_BYTES, ActivationMessages.jsonBytes(atTheLimit.message()));
        assertNull(atTheLimit.filteredAtSource(), "32,768 bytes is allowed");
        assertEquals(atTheLimit, ActivationMessages.forTransport(atTheLimit), "a deliverable event travels whole");

        ActivationEvent overByOne = ActivationMessages.events(RUN, activation, profile("x".repeat(room + 1))).get(0);
        assertEquals("payload_too_large", overByOne.filteredAtSource());
        // bytes of UTF-8, not characters: 'é' is two bytes
        ActivationEvent accented = ActivationMessages.events(RUN, activation, profile("é".repeat(room / 2 + 1))).get(0);
        assertEquals("payload_too_large", accented.filteredAtSource());

        assertTrue(overByOne.message().containsKey("properties"), "built whole: the test-event path shows what made it too large");
        ActivationEvent sent = ActivationMessages.forTransport(overByOne);
        assertEquals("payload_too_large", sent.filteredAtSource());
        assertEquals(overByOne.messageId(), sent.messageId());
        assertFalse(sent.message().containsKey("properties"));
        assertEquals(List.of("type", "messageId", "timestamp", "userId", "context", "event"), List.copyOf(sent.message().keySet()));
        assertTrue(ActivationMessages.jsonBytes(sent.message()) < 1024);

        ActivationEvent identify = ActivationMessages.forTransport(ActivationMessages.identifies(RUN,
                activation("membership_changed", IdentifierStrategy.USER_ID_AND_EMAIL, "bio"), profile("x".repeat(40_000)), true).get(0));
        assertEquals("payload_too_large", identify.filteredAtSource());
        assertFalse(identify.message().containsKey("traits"));
    }

    private static ProfileChange profile(String bio) {
        return new ProfileChange("p_andrew", "u123", List.of("andrew@example.com"), Map.of("bio", bio));
    }
}
