package dev.linkedaudiences.audience.destination;

import java.util.Map;

/** Body of a destination create: secrets go in, they never come back. */
public record DestinationRequest(String name, String type, Map<String, String> settings) {
}
