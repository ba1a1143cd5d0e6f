package dev.linkedaudiences.compute.differential;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JDBC {@link Connection} over an in-process {@link SparkSession}, so that the code a run uses on a Databricks
 * warehouse over JDBC ({@code MembershipSnapshots}, {@code ConformanceCheck}) executes its own statements, unchanged,
 * on Spark SQL: Spark ships no in-process JDBC driver (its Thrift server is not served by the mirror). Each statement
 * goes to {@code spark.sql(text, args)} with its {@code ?} parameters bound positionally; results are collected.
 * <p>
 * What it cannot be: a transaction. {@code commit} and {@code rollback} do nothing, as on Databricks, which has no
 * multi-statement transactions either (each statement commits on its own). Methods the tested code does not call
 * throw {@link SQLFeatureNotSupportedException}, so a new use shows up as a failure rather than a silent no-op.
 */
final class SparkJdbc {
    private SparkJdbc() {
    }

    static Connection connect(SparkSession spark) {
        boolean[] autoCommit = {true};
        return proxy(Connection.class, (method, args) -> switch (method) {
            case "createStatement" -> statement(spark, null);
            case "prepareStatement" -> statement(spark, (String) args[0]);
            case "getAutoCommit" -> autoCommit[0];
            case "setAutoCommit" -> {
                autoCommit[0] = (Boolean) args[0];
                yield null;
            }
            case "commit", "rollback", "close", "clearWarnings" -> null;
            case "isClosed" -> false;
            case "getMetaData" -> metaData(spark);
            default -> unsupported("Connection", method);
        });
    }

    /**
     * A bound value as {@code spark.sql} takes it. Spark has TIMESTAMP (an instant, in the session time zone), DATE
     * and DECIMAL as Databricks has them; an OffsetDateTime is passed as its instant. Spark 4.0 has no TIME type and
     * Databricks SQL has none either: a TIME column cannot be in a Databricks warehouse, so a TIME value is an error.
     */
    static Object sparkValue(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof LocalTime) {
            throw new IllegalArgumentException("Spark and Databricks SQL have no TIME type: " + value);
        }
        return value;
    }

    static Object[] sparkValues(List<Object> values) {
        return values.stream().map(SparkJdbc::sparkValue).toArray();
    }

    /** The statement's rows, executing it (a command executes when spark.sql is called; a query when collected). */
    static Dataset<Row> sql(SparkSession spark, String sql, Object[] args) throws SQLException {
        try {
            return args.length == 0 ? spark.sql(sql) : spark.sql(sql, args);
        } catch (Exception e) { // AnalysisException is a checked exception to Java
            throw new SQLException(e.getMessage() + "\n" + sql + "\n" + Arrays.toString(args), e);
        }
    }

    private static List<Row> collect(Dataset<Row> rows, String sql) throws SQLException {
        try {
            return rows.collectAsList();
        } catch (Exception e) {
            throw new SQLException(e.getMessage() + "\n" + sql, e);
        }
    }

    /** A Statement, or a PreparedStatement of {@code prepared} (its parameters bound with setXxx). */
    private static PreparedStatement statement(SparkSession spark, String prepared) {
        List<Object> parameters = new ArrayList<>();
        long[] updated = {-1};
        return proxy(PreparedStatement.class, (method, args) -> switch (method) {
            case "setString", "setObject", "setInt", "setLong", "setBoolean", "setBigDecimal", "setTimestamp", "setDate" -> {
                int index = (Integer) args[0];
                while (parameters.size() < index) {
                    parameters.add(null);
                }
                parameters.set(index - 1, args[1]);
                yield null;
            }
            case "setNull" -> {
                int index = (Integer) args[0];
                while (parameters.size() < index) {
                    parameters.add(null);
                }
                parameters.set(index - 1, null);
                yield null;
            }
            case "clearParameters" -> {
                parameters.clear();
                yield null;
            }
            case "setFetchSize", "close", "clearWarnings" -> null;
            case "executeQuery" -> {
                String sql = args == null || args.length == 0 ? prepared : (String) args[0];
                Dataset<Row> rows = sql(spark, sql, sparkValues(parameters));
                yield resultSet(List.of(rows.columns()), collect(rows, sql));
            }
            case "execute", "executeUpdate" -> {
                String sql = args == null || args.length == 0 ? prepared : (String) args[0];
                Dataset<Row> result = sql(spark, sql, sparkValues(parameters));
                List<String> columns = List.of(result.columns());
                int affected = columns.indexOf("num_affected_rows");
                List<Row> rows = collect(result, sql);
                // Delta reports the rows a DML statement touched, as Databricks does; other commands report nothing
                updated[0] = affected < 0 || rows.isEmpty() ? 0 : ((Number) rows.get(0).get(affected)).intValue();
                yield method.equals("execute") ? (Object) false : (Object) (int) updated[0];
            }
            case "getUpdateCount" -> (int) updated[0];
            case "getLargeUpdateCount" -> updated[0];
            default -> unsupported("PreparedStatement", method);
        });
    }

    /** The schemas and tables of Spark's catalog, as ConformanceCheck asks for them. */
    private static DatabaseMetaData metaData(SparkSession spark) {
        return proxy(DatabaseMetaData.class, (method, args) -> switch (method) {
            case "getSchemas" -> resultSet(List.of("TABLE_SCHEM"),
                    collect(spark.sql("SHOW SCHEMAS"), "SHOW SCHEMAS"));
            case "getSearchStringEscape" -> "\\";
            case "getTables" -> {
                // every table of every schema: the caller matches the schema by name itself
                List<Row> tables = new ArrayList<>();
                for (Row schema : collect(spark.sql("SHOW SCHEMAS"), "SHOW SCHEMAS")) {
                    for (Row table : collect(spark.sql("SHOW TABLES IN `" + schema.getString(0).replace("`", "``") + "`"), "SHOW TABLES")) {
                        tables.add(org.apache.spark.sql.RowFactory.create(schema.getString(0), table.getAs("tableName")));
                    }
                }
                yield resultSet(List.of("TABLE_SCHEM", "TABLE_NAME"), tables);
            }
            default -> unsupported("DatabaseMetaData", method);
        });
    }

    private static ResultSet resultSet(List<String> columns, List<Row> rows) {
        Map<String, Integer> byLabel = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < columns.size(); i++) {
            byLabel.putIfAbsent(columns.get(i), i + 1);
        }
        int[] at = {-1};
        boolean[] wasNull = {false};
        ResultSetMetaData meta = proxy(ResultSetMetaData.class, (method, args) -> switch (method) {
            case "getColumnCount" -> columns.size();
            case "getColumnLabel", "getColumnName" -> columns.get((Integer) args[0] - 1);
            default -> unsupported("ResultSetMetaData", method);
        });
        return proxy(ResultSet.class, (method, args) -> {
            switch (method) {
                case "next":
                    return ++at[0] < rows.size();
                case "close":
                    return null;
                case "wasNull":
                    return wasNull[0];
                case "getMetaData":
                    return meta;
                default:
                    break;
            }
            if (!method.startsWith("get") || args == null || args.length != 1) {
                return unsupported("ResultSet", method);
            }
            int column = args[0] instanceof Integer i ? i : byLabel.getOrDefault((String) args[0], 0);
            if (column < 1 || column > columns.size()) {
                throw new SQLException("no column " + args[0] + " in " + columns);
            }
            Object value = rows.get(at[0]).get(column - 1);
            wasNull[0] = value == null;
            return switch (method) {
                case "getObject" -> value;
                case "getString" -> value == null ? null : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
                case "getLong" -> value == null ? 0L : ((Number) value).longValue();
                case "getInt" -> value == null ? 0 : ((Number) value).intValue();
                case "getBoolean" -> value != null && (Boolean) value;
                default -> unsupported("ResultSet", method);
            };
        });
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        InvocationHandler invocation = (self, method, args) -> {
            switch (method.getName()) {
                case "unwrap", "isWrapperFor":
                    return unsupported(type.getSimpleName(), method.getName());
                case "toString":
                    return "Spark " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    try {
                        return handler.handle(method.getName(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        };
        return type.cast(Proxy.newProxyInstance(SparkJdbc.class.getClassLoader(), new Class<?>[]{type}, invocation));
    }

    private static Object unsupported(String type, String method) throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException(type + "." + method + " is not part of the Spark adapter");
    }
}
