package dev.linkedaudiences.contracts.graph;

/** The data types a filter understands (audience-model.md section 1); OTHER can be selected, not filtered on. */
public enum DataType {
    NUMBER, STRING, BOOLEAN, DATE, TIME, TIMESTAMP, OTHER
}
