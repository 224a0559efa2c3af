{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "todoke.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "todoke.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "todoke.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "todoke.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "todoke.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todoke.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "todoke.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "todoke.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* todoke.public-url: the value, else https://<ingress host>. */}}
{{- define "todoke.publicUrl" -}}
{{- if .Values.publicUrl }}
{{- .Values.publicUrl }}
{{- else }}
{{- printf "https://%s" .Values.ingress.host }}
{{- end }}
{{- end }}

{{/*
The settings the chart derives from its values (no secret among them: those come from Secrets
through env). The ConfigMap renders them merged with .Values.config.
*/}}
{{- define "todoke.settings" -}}
todoke:
  public-url: {{ include "todoke.publicUrl" . | quote }}
  internal-domains: {{ toJson .Values.internalDomains }}
  smtp:
    allowed-networks: {{ concat .Values.mta.cidrs .Values.smtp.allowedNetworks | uniq | toJson }}
    {{- if .Values.smtp.tls.existingSecret }}
    tls:
      key-store: /etc/todoke/smtp-tls/{{ .Values.smtp.tls.fileKey }}
    {{- end }}
  {{- if .Values.relay.host }}
  relay:
    host: {{ .Values.relay.host | quote }}
    port: {{ .Values.relay.port }}
    starttls: {{ .Values.relay.starttls | quote }}
    {{- if .Values.relay.trustStore.existingSecret }}
    trust-store: /etc/todoke/relay-trust/{{ .Values.relay.trustStore.fileKey }}
    {{- end }}
  {{- end }}
  clamav:
    host: {{ .Values.clamav.host | default "127.0.0.1" | quote }}
    port: {{ .Values.clamav.port }}
    timeout: {{ .Values.clamav.timeout | quote }}
  storage:
    keys:
      primary: {{ .Values.storage.keys.primary | quote }}
    {{- if .Values.storage.s3.endpoint }}
    s3:
      endpoint: {{ .Values.storage.s3.endpoint | quote }}
      bucket: {{ .Values.storage.s3.bucket | quote }}
      {{- if .Values.storage.s3.region }}
      region: {{ .Values.storage.s3.region | quote }}
      {{- end }}
      path-style: {{ .Values.storage.s3.pathStyle }}
    {{- end }}
  {{- if .Values.oidc.issuerUri }}
  admin:
    oidc:
      role-claim: {{ .Values.oidc.roleClaim | quote }}
      role-value: {{ .Values.oidc.roleValue | quote }}
  {{- end }}
{{- if or .Values.database.url .Values.oidc.issuerUri }}
spring:
  {{- if .Values.database.url }}
  datasource:
    url: {{ .Values.database.url | quote }}
  {{- end }}
  {{- if .Values.oidc.issuerUri }}
  security:
    oauth2:
      client:
        registration:
          todoke:
            client-id: {{ required "oidc.clientId is required with oidc.issuerUri" .Values.oidc.clientId | quote }}
            scope: {{ toJson .Values.oidc.scope }}
        provider:
          todoke:
            issuer-uri: {{ .Values.oidc.issuerUri | quote }}
            user-name-attribute: {{ .Values.oidc.userNameAttribute | quote }}
  {{- end }}
{{- end }}
{{- end }}

{{/* One env entry read from a Secret: dict "name" ENV "secret" NAME "key" KEY. */}}
{{- define "todoke.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
{{- end }}
