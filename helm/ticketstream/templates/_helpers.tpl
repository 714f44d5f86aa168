{{/* Names and labels. */}}
{{- define "ticketstream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ticketstream.fullname" -}}
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

{{- define "ticketstream.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ticketstream.labels" -}}
helm.sh/chart: {{ include "ticketstream.chart" . }}
{{ include "ticketstream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ticketstream
{{- end }}

{{- define "ticketstream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ticketstream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: (dict "root" $ "component" "worker"). */}}
{{- define "ticketstream.componentLabels" -}}
{{ include "ticketstream.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ticketstream.componentSelector" -}}
{{ include "ticketstream.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ticketstream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ticketstream.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ticketstream.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret whose keys become environment variables, or "" when there is none. */}}
{{- define "ticketstream.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else if .Values.secrets.values }}
{{- printf "%s-secrets" (include "ticketstream.fullname" .) }}
{{- end }}
{{- end }}

{{/* Worker replicas may not exceed the partition count. */}}
{{- define "ticketstream.cap" -}}
{{- min .max .partitions }}
{{- end }}

{{/* Sources with a poller (`ticketstream connectors poll <source>`), as a JSON list for fromJsonArray. */}}
{{- define "ticketstream.pollerSources" -}}
{{- list "zendesk" "freshdesk" "servicenow" | toJson }}
{{- end }}

{{/* Name of one source's poller Deployment: (dict "root" $ "source" "zendesk"). */}}
{{- define "ticketstream.pollerName" -}}
{{- printf "%s-poller-%s" (include "ticketstream.fullname" .root) .source | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ticketstream.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}

{{/*
The pod spec shared by every ticketstream process.
(dict "root" $ "component" "worker" "args" (list "worker") "cfg" .Values.worker "ports" (list ...) "probePort" "web"
      "restartPolicy" "Always" "extraSecret" "a-secret-only-this-process-gets")
*/}}
{{- define "ticketstream.podSpec" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
serviceAccountName: {{ include "ticketstream.serviceAccountName" $root }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $cfg.terminationGracePeriodSeconds }}
terminationGracePeriodSeconds: {{ . }}
{{- end }}
{{- with .restartPolicy }}
restartPolicy: {{ . }}
{{- end }}
containers:
  - name: {{ .component }}
    image: {{ include "ticketstream.image" $root }}
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    args:
      {{- toYaml .args | nindent 6 }}
      {{- with $cfg.extraArgs }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    envFrom:
      - configMapRef:
          name: {{ include "ticketstream.fullname" $root }}-config
      {{- with (include "ticketstream.secretName" $root) }}
      - secretRef:
          name: {{ . }}
      {{- end }}
      {{- with .extraSecret }}
      - secretRef:
          name: {{ . }}
      {{- end }}
    {{- if or .opsPort $cfg.extraEnv }}
    env:
      {{- with .opsPort }}
      - {name: TICKETSTREAM_OPS_PORT, value: {{ . | quote }}}
      {{- end }}
      {{- with $cfg.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- end }}
    {{- with .ports }}
    ports:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- if .probePort }}
    {{- with $cfg.startupProbe }}
    startupProbe:
      httpGet: {path: /healthz, port: {{ $.probePort }}}
      {{- toYaml . | nindent 6 }}
    {{- end }}
    livenessProbe:
      httpGet: {path: /healthz, port: {{ .probePort }}}
      {{- toYaml $cfg.livenessProbe | nindent 6 }}
    readinessProbe:
      httpGet: {path: /readyz, port: {{ .probePort }}}
      {{- toYaml $cfg.readinessProbe | nindent 6 }}
    {{- end }}
    resources:
      {{- toYaml $cfg.resources | nindent 6 }}
    securityContext:
      {{- toYaml $root.Values.securityContext | nindent 6 }}
    volumeMounts:
      - {name: data, mountPath: /var/lib/ticketstream}
      - {name: tmp, mountPath: /tmp}
      {{- if $root.Values.tenants }}
      - {name: tenants, mountPath: /etc/ticketstream/tenants, readOnly: true}
      {{- end }}
      {{- with $cfg.extraVolumeMounts }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
volumes:
  - name: data
    emptyDir: {sizeLimit: {{ $root.Values.dataDir.sizeLimit }}}
  - name: tmp
    emptyDir: {medium: Memory, sizeLimit: {{ $root.Values.tmpDir.sizeLimit }}}
  {{- if $root.Values.tenants }}
  - name: tenants
    configMap:
      name: {{ include "ticketstream.fullname" $root }}-config
      items:
        - {key: tenants.yaml, path: tenants.yaml}
  {{- end }}
  {{- with $cfg.extraVolumes }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with $root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Egress rules of every ticketstream pod: all, or DNS + vLLM + networkPolicy.egress.rules. */}}
{{- define "ticketstream.egressRules" -}}
{{- $np := .Values.networkPolicy -}}
{{- if $np.egress.allowAll }}
- {}
{{- else }}
- ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
{{- if .Values.vllm.enabled }}
- to:
    - podSelector:
        matchLabels:
          {{- include "ticketstream.componentSelector" (dict "root" . "component" "vllm") | nindent 10 }}
  ports:
    - {port: {{ .Values.vllm.port }}, protocol: TCP}
{{- end }}
{{- with $np.egress.rules }}
{{ toYaml . }}
{{- end }}
{{- end }}
{{- end }}
