{{/*
Prefix of every resource name: fullnameOverride, else the release name.
*/}}
{{- define "linked-audiences.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Name of one service's resources (Deployment, Service).
Call with (dict "root" $ "name" "audience-service").
*/}}
{{- define "linked-audiences.serviceFullname" -}}
{{- printf "%s-%s" (include "linked-audiences.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Labels on every resource of the release.
*/}}
{{- define "linked-audiences.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: linked-audiences
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/*
Selector labels of one service. Call with (dict "root" $ "name" "audience-service").
*/}}
{{- define "linked-audiences.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/*
All labels of one service's resources. Call with (dict "root" $ "name" "audience-service").
*/}}
{{- define "linked-audiences.serviceLabels" -}}
{{ include "linked-audiences.commonLabels" .root }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/*
Image reference of one service. Call with (dict "root" $ "svc" $svc).
*/}}
{{- define "linked-audiences.image" -}}
{{- printf "%s:%s" .svc.image.repository (default .root.Chart.AppVersion .svc.image.tag | toString) -}}
{{- end -}}

{{/*
Secret holding the PostgreSQL password: the existing one or the one the chart creates.
*/}}
{{- define "linked-audiences.destinationSecretsSecretName" -}}
{{- if .Values.destinationSecrets.existingSecret -}}
{{- .Values.destinationSecrets.existingSecret -}}
{{- else -}}
{{- printf "%s-destination-secrets" (include "linked-audiences.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "linked-audiences.postgresSecretName" -}}
{{- if .Values.postgres.existingSecret -}}
{{- .Values.postgres.existingSecret -}}
{{- else -}}
{{- printf "%s-postgres" (include "linked-audiences.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Secret holding the warehouse credentials: the existing one or the one the chart creates.
*/}}
{{- define "linked-audiences.warehouseSecretName" -}}
{{- if .Values.warehouse.existingSecret -}}
{{- .Values.warehouse.existingSecret -}}
{{- else -}}
{{- printf "%s-warehouse" (include "linked-audiences.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
The keys of the warehouse Secret that the engine (warehouse.engine and its authentication) needs, each with the
compute-service setting that names its mounted file, as YAML (key: ENVIRONMENT_VARIABLE); empty for duckdb.
Stops rendering on an unknown engine or authentication. Call with the root context.
*/}}
{{- define "linked-audiences.warehouseSecretFiles" -}}
{{- $wh := .Values.warehouse -}}
{{- if has $wh.engine (list "postgresql" "redshift") }}
password: WAREHOUSE_PASSWORD_FILE
{{- else if eq $wh.engine "snowflake" }}
{{- if eq $wh.snowflake.authentication "key-pair" }}
snowflake-private-key: WAREHOUSE_SNOWFLAKE_PRIVATE_KEY_FILE
{{- if $wh.snowflake.privateKeyEncrypted }}
snowflake-private-key-passphrase: WAREHOUSE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE_FILE
{{- end }}
{{- else if eq $wh.snowflake.authentication "password" }}
password: WAREHOUSE_PASSWORD_FILE
{{- else }}
{{- fail (printf "warehouse.snowflake.authentication must be key-pair or password, not %q" $wh.snowflake.authentication) }}
{{- end }}
{{- else if eq $wh.engine "databricks" }}
{{- if eq $wh.databricks.authentication "token" }}
databricks-token: WAREHOUSE_DATABRICKS_TOKEN_FILE
{{- else if eq $wh.databricks.authentication "oauth-m2m" }}
databricks-oauth-client-secret: WAREHOUSE_DATABRICKS_OAUTH_CLIENT_SECRET_FILE
{{- else }}
{{- fail (printf "warehouse.databricks.authentication must be token or oauth-m2m, not %q" $wh.databricks.authentication) }}
{{- end }}
{{- else if eq $wh.engine "bigquery" }}
{{- if eq $wh.bigquery.authentication "service-account-key" }}
bigquery-credentials: WAREHOUSE_BIGQUERY_CREDENTIALS_FILE
{{- else if ne $wh.bigquery.authentication "workload-identity" }}
{{- fail (printf "warehouse.bigquery.authentication must be service-account-key or workload-identity, not %q" $wh.bigquery.authentication) }}
{{- end }}
{{- else if ne $wh.engine "duckdb" }}
{{- fail (printf "warehouse.engine must be one of postgresql, redshift, snowflake, databricks, bigquery, duckdb, not %q" $wh.engine) }}
{{- end }}
{{- end -}}

{{/*
compute-service's warehouse settings (docs/warehouses.md): plain values as environment variables, credentials as
*-file settings naming the files the warehouse Secret is mounted as. Call with the root context.
*/}}
{{- define "linked-audiences.warehouseEnv" -}}
{{- $wh := .Values.warehouse -}}
- name: WAREHOUSE_ENGINE
  value: {{ $wh.engine | quote }}
{{- if has $wh.engine (list "postgresql" "redshift" "snowflake" "databricks") }}
- name: WAREHOUSE_JDBC_URL
  value: {{ required (printf "warehouse.jdbcUrl is required for warehouse.engine=%s" $wh.engine) $wh.jdbcUrl | quote }}
{{- end }}
{{- if has $wh.engine (list "postgresql" "redshift" "snowflake") }}
- name: WAREHOUSE_USER
  value: {{ required (printf "warehouse.user is required for warehouse.engine=%s" $wh.engine) $wh.user | quote }}
{{- end }}
{{- if and (eq $wh.engine "databricks") (eq $wh.databricks.authentication "oauth-m2m") }}
- name: WAREHOUSE_DATABRICKS_OAUTH_CLIENT_ID
  value: {{ required "warehouse.databricks.oauthClientId is required for oauth-m2m" $wh.databricks.oauthClientId | quote }}
{{- end }}
{{- if eq $wh.engine "bigquery" }}
- name: WAREHOUSE_BIGQUERY_PROJECT
  value: {{ required "warehouse.bigquery.project is required for warehouse.engine=bigquery" $wh.bigquery.project | quote }}
{{- with $wh.bigquery.location }}
- name: WAREHOUSE_BIGQUERY_LOCATION
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if eq $wh.engine "duckdb" }}
- name: WAREHOUSE_DUCKDB_PATH
  value: {{ printf "/var/lib/linked-audiences/duckdb/%s" $wh.duckdb.file | quote }}
{{- end }}
- name: WAREHOUSE_SNAPSHOT_SCHEMA
  value: {{ $wh.snapshotSchema | quote }}
- name: WAREHOUSE_MAX_CONNECTIONS
  value: {{ $wh.maxConnections | quote }}
{{- range $key, $variable := include "linked-audiences.warehouseSecretFiles" . | fromYaml }}
- name: {{ $variable }}
  value: {{ printf "/etc/linked-audiences/warehouse/%s" $key | quote }}
{{- end }}
{{- end -}}

{{/*
ConfigMap holding the JWT public key (publicKey.pem).
*/}}
{{- define "linked-audiences.jwtConfigMapName" -}}
{{- if .Values.jwt.existingConfigMap -}}
{{- .Values.jwt.existingConfigMap -}}
{{- else -}}
{{- printf "%s-jwt" (include "linked-audiences.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "linked-audiences.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "linked-audiences.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Environment of one service's container. Call with (dict "root" $ "name" "compute-service" "svc" $svc).
Names follow Quarkus' environment mapping of its properties
(quarkus.datasource.jdbc.url -> QUARKUS_DATASOURCE_JDBC_URL).
*/}}
{{- define "linked-audiences.env" -}}
{{- $root := .root -}}
{{- $pg := $root.Values.postgres -}}
{{- $db := required (printf "services.%s.database is required" .name) .svc.database -}}
- name: QUARKUS_HTTP_PORT
  value: "8080"
- name: QUARKUS_MANAGEMENT_PORT
  value: {{ $root.Values.managementPort | quote }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%v/%s" $pg.host $pg.port $db | quote }}
- name: QUARKUS_DATASOURCE_REACTIVE_URL
  value: {{ printf "postgresql://%s:%v/%s" $pg.host $pg.port $db | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ $pg.username | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "linked-audiences.postgresSecretName" $root }}
      key: {{ $pg.passwordKey }}
{{- if eq .name "compute-service" }}
{{- /* the one service that connects to the warehouse */}}
{{- include "linked-audiences.warehouseEnv" $root | nindent 0 }}
{{- end }}
{{- if .svc.destinationSecrets }}
{{- /* the keys that seal destination secrets (docs/adr/0008): the same list in every service that has it */}}
- name: SECRETS_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "linked-audiences.destinationSecretsSecretName" $root }}
      key: {{ $root.Values.destinationSecrets.keysKey }}
{{- end }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $root.Values.kafka.bootstrapServers | quote }}
{{- with $root.Values.kafka.topicPrefix }}
- name: LA_TOPIC_PREFIX
  value: {{ . | quote }}
{{- end }}
{{- if has .name (list "audience-service" "delivery-service") }}
{{- /* audience-service checks a data graph against the warehouse catalog compute-service reads (it has no warehouse
       settings); delivery-service's test events ask compute-service for the activation's message */}}
- name: QUARKUS_REST_CLIENT_COMPUTE_SERVICE_URL
  value: {{ printf "http://%s" (include "linked-audiences.serviceFullname" (dict "root" $root "name" "compute-service")) | quote }}
{{- end }}
{{- if eq .name "compute-service" }}
{{- /* previews ask audience-service for the data graph over HTTP */}}
- name: QUARKUS_REST_CLIENT_AUDIENCE_SERVICE_URL
  value: {{ printf "http://%s" (include "linked-audiences.serviceFullname" (dict "root" $root "name" "audience-service")) | quote }}
{{- end }}
{{- /* every JVM reads JAVA_TOOL_OPTIONS, whatever the image's start script: the heap follows the container's limit,
       and an OutOfMemoryError ends the process, so Kubernetes restarts it and its runs are resumed elsewhere */}}
- name: JAVA_TOOL_OPTIONS
  value: {{ $root.Values.jvmOptions | quote }}
- name: MP_JWT_VERIFY_PUBLICKEY_LOCATION
  value: /etc/linked-audiences/jwt/publicKey.pem
- name: MP_JWT_VERIFY_ISSUER
  value: {{ $root.Values.jwt.issuer | quote }}
{{- /* a service's own env wins over extraEnv */}}
{{- $extra := merge (dict) (default (dict) .svc.env) (default (dict) $root.Values.extraEnv) }}
{{- range $key, $value := $extra }}
- name: {{ $key }}
{{- if kindIs "map" $value }}
  {{- /* {valueFrom: {secretKeyRef: ...}}: from a Secret, ConfigMap or field of the pod */}}
  valueFrom:
    {{- required (printf "env %s: an object value needs valueFrom" $key) $value.valueFrom | toYaml | nindent 4 }}
{{- else }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}
