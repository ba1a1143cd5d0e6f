package dev.linkedaudiences.compute.warehouse;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.ConnectionProperty;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableResult;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A warehouse session with BigQuery through Google's client library: each statement is a query job (standard SQL,
 * {@code ?} parameters bound positionally with their BigQuery types) run where the datasets are. Results are read a
 * page at a time from the job's results. A transaction is a BigQuery session: BEGIN TRANSACTION creates it, every
 * statement of the work runs in it, COMMIT (or ROLLBACK on failure) ends the transaction and the session is aborted,
 * rather than left to expire after 24 hours.
 */
public final class BigQuerySession implements WarehouseSession {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private final BigQuery client;
    private final String location;
    /** The BigQuery session of the transaction in progress; null outside one. */
    private String sessionId;

    public BigQuerySession(BigQuery client, Optional<String> location) {
        this.client = client;
        this.location = location.orElse(null);
    }

    /**
     * A client for the project: credentials from a service account's JSON key, else Application Default Credentials;
     * with {@code host}, another API root (a private endpoint, or a local server in tests), called without credentials
     * when no key is given. Requests are retried by the client library's defaults, except where {@code host} is set
     * without credentials (tests): once.
     */
    public static BigQuery client(String project, Optional<String> credentialsFile, Optional<String> host) {
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder().setProjectId(project);
        if (credentialsFile.isPresent()) {
            options.setCredentials(serviceAccount(Path.of(credentialsFile.get())));
        } else if (host.isPresent()) {
            options.setCredentials(NoCredentials.getInstance());
            options.setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build());
        }
        host.ifPresent(options::setHost);
        return options.build().getService();
    }

    private static GoogleCredentials serviceAccount(Path file) {
        try (InputStream key = Files.newInputStream(file)) {
            return ServiceAccountCredentials.fromStream(key).createScoped(List.of("https://www.googleapis.com/auth/bigquery"));
        } catch (IOException | RuntimeException e) {
            // the library's message may quote the file; say only what kind of problem it is
            throw new IllegalArgumentException("warehouse.bigquery.credentials-file: " + file + " is not a service account's JSON key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public long execute(String sql, List<?> parameters) throws SQLException {
        Job job = run(configuration(sql, parameters).build());
        JobStatistics.QueryStatistics statistics = job.getStatistics();
        Long affected = statistics == null ? null : statistics.getNumDmlAffectedRows();
        return affected == null ? 0 : affected;
    }

    @Override
    public <T> List<T> query(String sql, List<?> parameters, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (Pages<T> pages = pages(sql, parameters, reader, 10_000)) {
            for (List<T> page = pages.next(); !page.isEmpty(); page = pages.next()) {
                rows.addAll(page);
            }
        }
        return rows;
    }

    @Override
    public List<String> columnNames(String sql) throws SQLException {
        // a dry run answers the result's schema without running the query (and without cost)
        Job job = call(() -> client.create(JobInfo.of(jobId(), configuration(sql, List.of()).setDryRun(true).build())));
        JobStatistics.QueryStatistics statistics = job.getStatistics();
        Schema schema = statistics == null ? null : statistics.getSchema();
        if (schema == null) {
            throw new SQLException("BigQuery's dry run answered no schema for: " + sql);
        }
        return schema.getFields().stream().map(Field::getName).toList();
    }

    @Override
    public <T> Pages<T> pages(String sql, List<?> parameters, RowReader<T> reader, int pageSize) throws SQLException {
        Job job = run(configuration(sql, parameters).build());
        TableResult first = call(() -> job.getQueryResults(BigQuery.QueryResultsOption.pageSize(pageSize)));
        return new ResultPages<>(first, reader, pageSize);
    }

    @Override
    public Optional<List<String>> tablesIn(String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        boolean found = false;
        for (Dataset dataset : call(() -> client.listDatasets().iterateAll())) {
            String name = dataset.getDatasetId().getDataset();
            if (name.equalsIgnoreCase(schema)) {
                found = true;
                for (Table table : call(() -> client.listTables(DatasetId.of(name)).iterateAll())) {
                    tables.add(table.getTableId().getTable());
                }
            }
        }
        return found ? Optional.of(tables) : Optional.empty();
    }

    @Override
    public void transaction(Work work) throws SQLException {
        Job begin = run(QueryJobConfiguration.newBuilder("BEGIN TRANSACTION").setUseLegacySql(false).setCreateSession(true).build());
        JobStatistics.QueryStatistics statistics = begin.getStatistics();
        if (statistics == null || statistics.getSessionInfo() == null) {
            throw new SQLException("BigQuery created no session for the transaction");
        }
        sessionId = statistics.getSessionInfo().getSessionId();
        try {
            work.run();
            execute("COMMIT TRANSACTION");
        } catch (SQLException | RuntimeException e) {
            try {
                execute("ROLLBACK TRANSACTION");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            endSession();
        }
    }

    @Override
    public void close() throws SQLException {
        if (sessionId != null) {
            endSession();
        }
    }

    private void endSession() throws SQLException {
        try {
            execute("CALL BQ.ABORT_SESSION()");
        } finally {
            sessionId = null;
        }
    }

    /** A standard SQL query job of {@code sql}, its parameters bound in order, in the transaction's session if one is open. */
    private QueryJobConfiguration.Builder configuration(String sql, List<?> parameters) {
        QueryJobConfiguration.Builder configuration = QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false);
        for (Object parameter : parameters) {
            configuration.addPositionalParameter(parameter(parameter));
        }
        if (sessionId != null) {
            configuration.setConnectionProperties(List.of(ConnectionProperty.of("session_id", sessionId)));
        }
        return configuration;
    }

    /** A bound value as BigQuery types it. */
    static QueryParameterValue parameter(Object value) {
        if (value == null) {
            return QueryParameterValue.string(null);
        }
        if (value instanceof String s) {
            return QueryParameterValue.string(s);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return QueryParameterValue.int64(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return QueryParameterValue.float64(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal d) {
            // NUMERIC holds 29 digits before the point and 9 after; BIGNUMERIC more
            return d.scale() <= 9 && d.precision() - d.scale() <= 29 ? QueryParameterValue.numeric(d) : QueryParameterValue.bigNumeric(d);
        }
        if (value instanceof Boolean b) {
            return QueryParameterValue.bool(b);
        }
        if (value instanceof OffsetDateTime t) {
            return QueryParameterValue.timestamp(TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC)));
        }
        if (value instanceof Instant t) {
            return QueryParameterValue.timestamp(TIMESTAMP.format(t.atOffset(ZoneOffset.UTC)));
        }
        if (value instanceof LocalDate d) {
            return QueryParameterValue.date(d.toString());
        }
        if (value instanceof LocalDateTime t) {
            return QueryParameterValue.dateTime(t.toString());
        }
        if (value instanceof LocalTime t) {
            return QueryParameterValue.time(t.toString());
        }
        throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be bound as a BigQuery parameter");
    }

    /** Runs a job to its end: its statistics, or its error as an SQLException. */
    private Job run(QueryJobConfiguration configuration) throws SQLException {
        Job job = call(() -> client.create(JobInfo.of(jobId(), configuration)).waitFor());
        if (job == null) {
            throw new SQLException("the BigQuery job is gone");
        }
        BigQueryError error = job.getStatus() == null ? null : job.getStatus().getError();
        if (error != null) {
            throw new SQLException(error.getReason() + ": " + error.getMessage());
        }
        return job;
    }

    private JobId jobId() {
        JobId.Builder id = JobId.newBuilder();
        if (location != null) {
            id.setLocation(location);
        }
        return id.build();
    }

    /** A call to BigQuery. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws InterruptedException;
    }

    /** The call's answer; BigQuery's errors and an interruption as SQLExceptions, so callers treat every engine alike. */
    private static <T> T call(Call<T> call) throws SQLException {
        try {
            return call.call();
        } catch (BigQueryException e) {
            BigQueryError error = e.getError();
            throw new SQLException(error == null ? e.getMessage() : error.getReason() + ": " + error.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for BigQuery", e);
        }
    }

    /** A job's result, a page at a time as BigQuery serves it, each page cut to the page size asked for. */
    private static final class ResultPages<T> implements Pages<T> {
        private final RowReader<T> reader;
        private final int pageSize;
        private final List<Field> fields;
        private TableResult page;
        private Iterator<FieldValueList> rows;

        ResultPages(TableResult first, RowReader<T> reader, int pageSize) {
            this.reader = reader;
            this.pageSize = pageSize;
            this.page = first;
            this.fields = first.getSchema() == null ? List.of() : first.getSchema().getFields();
            this.rows = first.getValues().iterator();
        }

        @Override
        public List<T> next() throws SQLException {
            List<T> out = new ArrayList<>();
            while (out.size() < pageSize) {
                if (!rows.hasNext()) {
                    if (page == null || !page.hasNextPage()) {
                        break;
                    }
                    page = call(() -> page.getNextPage());
                    rows = page.getValues().iterator();
                    continue;
                }
                T read = reader.read(new BigQueryRow(fields, rows.next()));
                if (read != null) {
                    out.add(read);
                }
            }
            return out;
        }

        @Override
        public void close() {
            page = null; // the job's results stay in BigQuery's temporary table, which it drops after a day
        }
    }

    /** One row of a result, its values as Java's by their BigQuery type. */
    private record BigQueryRow(List<Field> fields, FieldValueList values) implements Row {
        @Override
        public int size() {
            return fields.size();
        }

        @Override
        public String name(int column) {
            return fields.get(column - 1).getName();
        }

        @Override
        public Object value(int column) {
            FieldValue value = values.get(column - 1);
            if (value.isNull()) {
                return null;
            }
            LegacySQLTypeName type = fields.get(column - 1).getType();
            if (type.equals(LegacySQLTypeName.INTEGER)) {
                return value.getLongValue();
            } else if (type.equals(LegacySQLTypeName.FLOAT)) {
                return value.getDoubleValue();
            } else if (type.equals(LegacySQLTypeName.NUMERIC) || type.equals(LegacySQLTypeName.BIGNUMERIC)) {
                return value.getNumericValue();
            } else if (type.equals(LegacySQLTypeName.BOOLEAN)) {
                return value.getBooleanValue();
            } else if (type.equals(LegacySQLTypeName.TIMESTAMP)) {
                return value.getTimestampInstant();
            } else if (type.equals(LegacySQLTypeName.DATE)) {
                return LocalDate.parse(value.getStringValue());
            } else if (type.equals(LegacySQLTypeName.TIME)) {
                return LocalTime.parse(value.getStringValue());
            } else if (type.equals(LegacySQLTypeName.DATETIME)) {
                return LocalDateTime.parse(value.getStringValue());
            }
            return value.getStringValue(); // STRING, JSON and the rest, as BigQuery writes them
        }

        @Override
        public String text(int column) {
            Object value = value(column);
            return value == null ? null : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        }
    }
}
