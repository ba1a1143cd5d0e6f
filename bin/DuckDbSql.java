import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * SQL against a DuckDB database file, for scripts on a machine without the DuckDB CLI (bin/demo --warehouse duckdb).
 * Run in source-file mode with the DuckDB JDBC driver from the local Maven repository:
 * <pre>
 *   java -cp duckdb_jdbc-&lt;version&gt;.jar bin/DuckDbSql.java [--wait-for-lock SECONDS] FILE (SQL | @SCRIPT)
 * </pre>
 * Runs the SQL (a script may hold several statements) and prints the rows of a query, tab-separated.
 * <p>
 * A DuckDB file is locked by the process that has it open. compute-service holds it only while a run or request
 * uses it (its pool keeps no idle DuckDB connection), so with {@code --wait-for-lock} a conflicting lock is retried
 * every half second for that long, saying so on stderr, before giving up with the lock error.
 */
public class DuckDbSql {
    public static void main(String[] args) throws Exception {
        int first = 0;
        Duration waitForLock = Duration.ZERO;
        if (args.length > 1 && args[0].equals("--wait-for-lock")) {
            waitForLock = Duration.ofSeconds(Long.parseLong(args[1]));
            first = 2;
        }
        if (args.length - first != 2) {
            System.err.println("usage: java -cp duckdb_jdbc.jar DuckDbSql.java [--wait-for-lock SECONDS] FILE (SQL | @SCRIPT)");
            System.exit(2);
        }
        String file = args[first];
        String sql = args[first + 1].startsWith("@") ? Files.readString(Path.of(args[first + 1].substring(1))) : args[first + 1];
        try (Connection connection = open(file, waitForLock); Statement statement = connection.createStatement()) {
            if (statement.execute(sql)) {
                print(statement.getResultSet());
            }
        } catch (SQLException e) {
            System.err.println("DuckDbSql: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Opens the file, retrying while another process holds its lock, for at most {@code waitForLock}. */
    private static Connection open(String file, Duration waitForLock) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(waitForLock);
        boolean told = false;
        while (true) {
            try {
                return DriverManager.getConnection("jdbc:duckdb:" + file);
            } catch (SQLException e) {
                if (!isLockConflict(e) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                if (!told) {
                    System.err.println("DuckDbSql: " + file + " is locked by another process; retrying for up to "
                            + waitForLock.toSeconds() + " s");
                    told = true;
                }
                Thread.sleep(500);
            }
        }
    }

    private static boolean isLockConflict(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("Could not set lock on file");
    }

    private static void print(ResultSet rows) throws SQLException {
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
            StringBuilder line = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                line.append(i > 1 ? "\t" : "").append(rows.getString(i));
            }
            System.out.println(line);
        }
    }
}
