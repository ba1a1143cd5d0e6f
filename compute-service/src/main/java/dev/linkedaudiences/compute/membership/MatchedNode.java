package dev.linkedaudiences.compute.membership;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One matched entity in the Entity Explorer: its relationship, entity type and key, and the entities matched
 * below it. {@code moreChildren} counts those left out past the per-level limit.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record MatchedNode(String relationship, String entity, String key, List<MatchedNode> children, int moreChildren) {
}
