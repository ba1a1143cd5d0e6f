package dev.linkedaudiences.contracts.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** Where profiles live, in the Profiles Sync layout; every table name is configurable. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileBlock(String schema, String traitsTable, String identifiersTable, String idGraphTable,
                           Map<String, String> eventTables, List<Relationship> relationships) {

    public String traitsTableOrDefault() {
        return qualified(traitsTable == null ? "profile_traits" : traitsTable);
    }

    public String identifiersTableOrDefault() {
        return qualified(identifiersTable == null ? "user_identifiers" : identifiersTable);
    }

    /** The id_graph table, qualified, or null when events are attributed to segment_id directly. */
    public String idGraphTableQualified() {
        return idGraphTable == null ? null : qualified(idGraphTable);
    }

    /** An event's table: the configured one, else the event name in snake_case ("Order Completed" -> order_completed). */
    public String eventTable(String event) {
        String table = eventTables == null ? null : eventTables.get(event);
        return qualified(table != null ? table : event.trim().toLowerCase().replaceAll("[^a-z0-9]+", "_"));
    }

    public List<Relationship> relationshipsOrEmpty() {
        return relationships == null ? List.of() : relationships;
    }

    private String qualified(String table) {
        return schema == null || table.contains(".") ? table : schema + "." + table;
    }
}
