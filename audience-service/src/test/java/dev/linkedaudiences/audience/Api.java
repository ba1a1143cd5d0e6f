package dev.linkedaudiences.audience;

import dev.linkedaudiences.testsupport.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Requests as a given role, and the sample files every test builds on. */
public final class Api {

    public static RequestSpecification as(String role) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.forRole(role));
    }

    public static RequestSpecification owner() {
        return as("workspace_owner");
    }

    public static String sample(String file) {
        try {
            return Files.readString(Path.of("../samples/abandoned-carts").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sample file with edits applied: each pair is a JSON pointer to an object member and its new value. */
    public static String sampleEdited(String file, Object... pointerValuePairs) {
        try {
            JsonNode root = JSON.readTree(sample(file));
            for (int i = 0; i < pointerValuePairs.length; i += 2) {
                String pointer = (String) pointerValuePairs[i];
                int slash = pointer.lastIndexOf('/');
                ((ObjectNode) root.at(pointer.substring(0, slash))).set(pointer.substring(slash + 1), JSON.valueToTree(pointerValuePairs[i + 1]));
            }
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample audience's definition, as JSON. */
    public static String sampleDefinition() {
        try {
            return JSON.readTree(sample("audience.json")).get("definition").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves the sample data graph (idempotent). */
    public static void sampleDataGraph() {
        owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(200);
    }

    private Api() {
    }
}
