package dev.linkedaudiences.compute.sql;

import java.util.List;

/** SQL text with its bound parameters, in order. */
public record CompiledQuery(String sql, List<Object> parameters) {
}
