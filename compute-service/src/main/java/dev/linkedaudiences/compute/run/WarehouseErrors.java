package dev.linkedaudiences.compute.run;

import java.sql.SQLException;

/** Turns warehouse errors into messages a person can act on. */
final class WarehouseErrors {

    static String explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) {
            return "the warehouse is unreachable: " + e.getMessage();
        }
        if (state.equals("42P01")) {
            return "a table of the data graph is missing from the warehouse: " + e.getMessage();
        }
        if (state.equals("42703")) {
            return "a column of the data graph is missing from the warehouse: " + e.getMessage();
        }
        return "the warehouse rejected the audience query (SQLState " + state + "): " + e.getMessage();
    }

    private WarehouseErrors() {
    }
}
