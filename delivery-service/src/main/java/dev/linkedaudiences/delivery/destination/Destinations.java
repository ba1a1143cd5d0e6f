package dev.linkedaudiences.delivery.destination;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every {@link Destination} bean, by type. */
@ApplicationScoped
public class Destinations {
    private final Map<String, Destination> byType;

    public Destinations(Instance<Destination> all) {
        this.byType = all.stream().collect(Collectors.toMap(Destination::type, Function.identity()));
    }

    public Optional<Destination> forType(String type) {
        return Optional.ofNullable(type).map(byType::get);
    }
}
