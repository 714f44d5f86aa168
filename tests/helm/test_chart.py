"""The Helm chart rendered with the real `helm` binary: lint, default values and non-default sets, with the
rendered manifests parsed and checked for what an operator relies on. Also hadolint on the Dockerfile."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "helm" / "ticketstream"
KUBE_VERSION = "1.31.0"  # helm built with `go install` defaults to v1.20 for .Capabilities

Manifest = dict[str, Any]


def helm(helm_bin: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(helm_bin), *args], capture_output=True, text=True, timeout=120, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"helm {' '.join(args)} failed:\n{result.stderr}")
    return result


def set_args(values: dict[str, Any] | None) -> list[str]:
    """Values as a temporary-file-free `--set-json` list (one per top-level key)."""
    return [a for k, v in (values or {}).items() for a in ("--set-json", f"{k}={json.dumps(v)}")]


def render(helm_bin: Path, values: dict[str, Any] | None = None, chart: Path = CHART) -> list[Manifest]:
    out = helm(helm_bin, "template", "ts", str(chart), "--namespace", "tickets", "--kube-version", KUBE_VERSION,
               *set_args(values)).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def find(manifests: list[Manifest], kind: str, name: str | None = None) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind and (name is None or m["metadata"]["name"] == name)]


def one(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    found = find(manifests, kind, name)
    names = [m["metadata"]["name"] for m in find(manifests, kind)]
    assert len(found) == 1, f"expected one {kind} {name}, found {names}"
    return found[0]


def container(deployment: Manifest) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return dict(containers[0])


NON_DEFAULT_SETS: dict[str, dict[str, Any]] = {
    "keda": {"worker": {"keda": {"enabled": True, "maxReplicas": 50, "minReplicas": 2}},
             "kafka": {"partitions": 6}},
    "hpa": {"worker": {"autoscaling": {"enabled": True, "maxReplicas": 40}},
            "connectors": {"autoscaling": {"enabled": True}}},
    "ingress": {"connectors": {"ingress": {
        "enabled": True, "className": "nginx",
        "hosts": [{"host": "hooks.acme.test", "paths": [{"path": "/", "pathType": "Prefix"}]}],
        "tls": [{"secretName": "hooks-tls", "hosts": ["hooks.acme.test"]}]}}},
    "existing-secret": {"secrets": {"existingSecret": "ticketstream-prod"}},
    "created-secret": {"secrets": {"values": {"TICKETSTREAM_ANTHROPIC_API_KEY": "sk-test",
                                              "CLICKHOUSE_URL": "http://u:p@ch:8123"}}},
    "tenants": {"tenants": {"acme": {"sla_policy": {"first_response_minutes": {"urgent": 30}}}}},
    "monitoring": {"metrics": {"serviceMonitor": {"enabled": True, "labels": {"release": "prom"}}},
                   "dashboards": {"enabled": True}},
    "backfill": {"backfill": {"enabled": True, "runId": "2025-06", "args": ["--input", "/data/h.jsonl"]}},
    "vllm": {"vllm": {"enabled": True}, "networkPolicy": {"egress": {"allowAll": False}}},
    "minimal": {"connectors": {"enabled": False}, "writer": {"enabled": False}, "networkPolicy": {"enabled": False}},
    "pollers": {"pollers": {"zendesk": {"enabled": True},
                            "servicenow": {"enabled": True, "tenants": ["acme", "beta"], "existingSecret": "sn-creds"},
                            "persistence": {"enabled": True, "accessModes": ["ReadWriteOncePod"],
                                            "storageClassName": "fast", "size": "200Mi"}},
                "secrets": {"existingSecret": "ticketstream-prod"}},
}


# -------------------------------------------------------------------------------------------- lint


def test_lint_strict_default_values(helm_bin: Path) -> None:
    result = helm(helm_bin, "lint", "--strict", str(CHART), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


@pytest.mark.parametrize("name", sorted(NON_DEFAULT_SETS))
def test_lint_strict_non_default_sets(helm_bin: Path, name: str) -> None:
    result = helm(helm_bin, "lint", "--strict", str(CHART), *set_args(NON_DEFAULT_SETS[name]), check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(NON_DEFAULT_SETS))
def test_every_non_default_set_renders_valid_objects(helm_bin: Path, name: str) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS[name])
    for m in manifests:
        assert m["apiVersion"] and m["kind"] and m["metadata"]["name"]
        assert len(m["metadata"]["name"]) <= 63


# -------------------------------------------------------------------------------------------- defaults


def test_defaults_render_the_three_processes_with_their_commands(helm_bin: Path) -> None:
    manifests = render(helm_bin)
    commands = {d["metadata"]["name"]: container(d)["args"] for d in find(manifests, "Deployment")}
    assert commands == {
        "ts-ticketstream-worker": ["worker"],
        "ts-ticketstream-connectors": ["connectors", "serve"],
        "ts-ticketstream-writer": ["connectors", "write"],
    }
    assert not find(manifests, "Ingress"), "no ingress by default"
    assert not find(manifests, "Secret"), "no secret without values"
    assert not find(manifests, "ScaledObject") and not find(manifests, "HorizontalPodAutoscaler")
    assert not find(manifests, "Job") and not find(manifests, "ServiceMonitor")


def test_probes_are_wired_to_the_health_endpoints(helm_bin: Path) -> None:
    manifests = render(helm_bin)
    for name, port in (("worker", "web"), ("connectors", "ops"), ("writer", "ops")):
        c = container(one(manifests, "Deployment", f"ts-ticketstream-{name}"))
        assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port}, name
        assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port}, name
        assert port in {p["name"] for p in c["ports"]}, f"{name} probes a port it does not declare"
    worker = container(one(manifests, "Deployment", "ts-ticketstream-worker"))
    assert worker["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert worker["startupProbe"]["failureThreshold"] * worker["startupProbe"]["periodSeconds"] >= 120


def test_security_context_non_root_read_only_with_writable_home_and_tmp(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["backfill"])
    pods = [d["spec"]["template"]["spec"] for d in find(manifests, "Deployment") + find(manifests, "Job")]
    assert len(pods) == 4
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        assert pod["automountServiceAccountToken"] is False
        c = pod["containers"][0]
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"]["drop"] == ["ALL"]
        mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}
        for path in ("/var/lib/ticketstream", "/tmp"):
            assert "emptyDir" in volumes[mounts[path]], f"{path} must be a writable emptyDir"
        assert c["resources"]["requests"] and c["resources"]["limits"]["memory"]


def test_configmap_carries_the_settings_as_env(helm_bin: Path) -> None:
    manifests = render(helm_bin, {"kafka": {"bootstrapServers": "k1:9092,k2:9092", "partitions": 24},
                                  "settings": {"TICKETSTREAM_BATCH_SIZE": 128}})
    data = one(manifests, "ConfigMap", "ts-ticketstream-config")["data"]
    assert data["KAFKA_BOOTSTRAP_SERVERS"] == "k1:9092,k2:9092"
    assert data["TICKETSTREAM_PARTITIONS"] == "24"
    assert data["TICKETSTREAM_BATCH_SIZE"] == "128"
    assert data["TICKETSTREAM_HOME"] == "/var/lib/ticketstream"
    assert data["TICKETSTREAM_WEB_BIND"] == "0.0.0.0"
    assert data["HF_HUB_OFFLINE"] == "1"
    assert "TICKETSTREAM_TENANTS_FILE" not in data
    for d in find(manifests, "Deployment"):
        env_from = container(d)["envFrom"]
        assert env_from == [{"configMapRef": {"name": "ts-ticketstream-config"}}]


# -------------------------------------------------------------------------------------------- secrets and tenants


def test_existing_secret_is_referenced_and_none_created(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["existing-secret"])
    assert not find(manifests, "Secret")
    for d in find(manifests, "Deployment"):
        assert {"secretRef": {"name": "ticketstream-prod"}} in container(d)["envFrom"]


def test_created_secret_holds_the_values_and_pods_roll_when_it_changes(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["created-secret"])
    secret = one(manifests, "Secret", "ts-ticketstream-secrets")
    assert set(secret["data"]) == {"TICKETSTREAM_ANTHROPIC_API_KEY", "CLICKHOUSE_URL"}
    assert "sk-test" not in json.dumps(one(manifests, "ConfigMap", "ts-ticketstream-config"))
    for d in find(manifests, "Deployment"):
        assert {"secretRef": {"name": "ts-ticketstream-secrets"}} in container(d)["envFrom"]
    changed = render(helm_bin, {"secrets": {"values": {"TICKETSTREAM_ANTHROPIC_API_KEY": "sk-rotated"}}})

    def checksum(ms: list[Manifest]) -> str:
        annotations = one(ms, "Deployment", "ts-ticketstream-worker")["spec"]["template"]["metadata"]["annotations"]
        return str(annotations["checksum/secret"])

    assert checksum(manifests) != checksum(changed)


def test_tenants_yaml_is_mounted_where_the_setting_points(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["tenants"])
    data = one(manifests, "ConfigMap", "ts-ticketstream-config")["data"]
    assert yaml.safe_load(data["tenants.yaml"]) == {"tenants": {"acme": {"sla_policy": {
        "first_response_minutes": {"urgent": 30}}}}}
    path = Path(data["TICKETSTREAM_TENANTS_FILE"])
    pod = one(manifests, "Deployment", "ts-ticketstream-worker")["spec"]["template"]["spec"]
    mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "tenants")
    assert str(path.parent) == mount["mountPath"]
    volume = next(v for v in pod["volumes"] if v["name"] == "tenants")
    assert volume["configMap"]["items"] == [{"key": "tenants.yaml", "path": path.name}]


# -------------------------------------------------------------------------------------------- scaling


def test_keda_scaled_object_capped_at_partitions_with_slow_scale_down(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["keda"])
    so = one(manifests, "ScaledObject", "ts-ticketstream-worker")
    assert so["spec"]["scaleTargetRef"]["name"] == "ts-ticketstream-worker"
    assert so["spec"]["maxReplicaCount"] == 6  # asked for 50, 6 partitions
    assert so["spec"]["minReplicaCount"] == 2
    trigger = so["spec"]["triggers"][0]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["consumerGroup"] == "ticketstream"
    assert trigger["metadata"]["allowIdleConsumers"] == "false"
    down = so["spec"]["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]["scaleDown"]
    assert down["stabilizationWindowSeconds"] >= 600
    assert down["policies"] == [{"type": "Pods", "value": 1, "periodSeconds": 300}]
    assert "replicas" not in one(manifests, "Deployment", "ts-ticketstream-worker")["spec"], \
        "a fixed replica count would fight the autoscaler"
    assert not find(manifests, "HorizontalPodAutoscaler")


def test_hpa_capped_at_partitions(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["hpa"])
    hpa = one(manifests, "HorizontalPodAutoscaler", "ts-ticketstream-worker")
    assert hpa["spec"]["maxReplicas"] == 12
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 600
    assert one(manifests, "HorizontalPodAutoscaler", "ts-ticketstream-connectors")["spec"]["maxReplicas"] == 10


def test_fixed_worker_replicas_capped_at_partitions(helm_bin: Path) -> None:
    manifests = render(helm_bin, {"worker": {"replicas": 9}, "kafka": {"partitions": 4}})
    assert one(manifests, "Deployment", "ts-ticketstream-worker")["spec"]["replicas"] == 4


def test_hpa_and_keda_together_are_refused(helm_bin: Path) -> None:
    result = helm(helm_bin, "template", "ts", str(CHART), "--kube-version", KUBE_VERSION,
                  *set_args({"worker": {"keda": {"enabled": True}, "autoscaling": {"enabled": True}}}), check=False)
    assert result.returncode != 0
    assert "worker.autoscaling.enabled and worker.keda.enabled are both true" in result.stderr


def test_pod_disruption_budgets(helm_bin: Path) -> None:
    manifests = render(helm_bin)
    assert one(manifests, "PodDisruptionBudget", "ts-ticketstream-worker")["spec"]["maxUnavailable"] == 1
    assert one(manifests, "PodDisruptionBudget", "ts-ticketstream-connectors")["spec"]["minAvailable"] == 1
    for pdb in find(manifests, "PodDisruptionBudget"):
        component = pdb["metadata"]["name"].removeprefix("ts-ticketstream-")
        assert pdb["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] == component


# -------------------------------------------------------------------------------------------- network and ingress


def test_ingress_routes_to_the_connectors_service(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["ingress"])
    ingress = one(manifests, "Ingress", "ts-ticketstream-connectors")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"][0]["secretName"] == "hooks-tls"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "ts-ticketstream-connectors", "port": {"name": "http"}}
    service = one(manifests, "Service", "ts-ticketstream-connectors")
    assert "http" in {p["name"] for p in service["spec"]["ports"]}


def test_network_policies_open_only_the_declared_ports(helm_bin: Path) -> None:
    manifests = render(helm_bin)
    policies = {p["metadata"]["name"]: p for p in find(manifests, "NetworkPolicy")}
    assert set(policies) == {"ts-ticketstream-worker", "ts-ticketstream-connectors", "ts-ticketstream-writer"}
    worker_ports = [port["port"] for rule in policies["ts-ticketstream-worker"]["spec"]["ingress"]
                    for port in rule["ports"]]
    assert worker_ports == [6066]
    connector_ports = sorted(port["port"] for rule in policies["ts-ticketstream-connectors"]["spec"]["ingress"]
                             for port in rule["ports"])
    assert connector_ports == [8088, 9100]
    assert not find(render(helm_bin, NON_DEFAULT_SETS["minimal"]), "NetworkPolicy")


def test_restricted_egress_allows_dns_and_the_vllm_server(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["vllm"])
    egress = one(manifests, "NetworkPolicy", "ts-ticketstream-worker")["spec"]["egress"]
    assert {} not in egress
    assert {"port": 53, "protocol": "UDP"} in egress[0]["ports"]
    assert egress[1]["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "vllm"


# -------------------------------------------------------------------------------------------- monitoring


def test_service_monitor_scrapes_every_process(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["monitoring"])
    monitor = one(manifests, "ServiceMonitor", "ts-ticketstream")
    assert monitor["metadata"]["labels"]["release"] == "prom"
    assert monitor["spec"]["endpoints"][0]["port"] == "metrics"
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
    selector = monitor["spec"]["selector"]["matchLabels"]
    scraped = [s for s in find(manifests, "Service")
               if all(s["metadata"]["labels"].get(k) == v for k, v in selector.items())]
    assert sorted(s["metadata"]["name"] for s in scraped) == [
        "ts-ticketstream-connectors", "ts-ticketstream-worker", "ts-ticketstream-writer"]
    for service in scraped:
        assert "metrics" in {p["name"] for p in service["spec"]["ports"]}


def test_dashboards_configmap_includes_every_dashboard_file(helm_bin: Path, tmp_path: Path) -> None:
    chart = tmp_path / "ticketstream"
    shutil.copytree(CHART, chart)
    for existing in (chart / "dashboards").glob("*.json"):
        existing.unlink()
    dashboard = {"title": "ticketstream pipeline", "panels": [{"targets": [{"expr": "ticketstream_consumer_lag"}]}]}
    (chart / "dashboards" / "pipeline.json").write_text(json.dumps(dashboard), encoding="utf-8")
    (chart / "dashboards" / "llm.json").write_text(json.dumps({"title": "LLM"}), encoding="utf-8")
    manifests = render(helm_bin, NON_DEFAULT_SETS["monitoring"], chart=chart)
    cm = one(manifests, "ConfigMap", "ts-ticketstream-dashboards")
    assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert sorted(cm["data"]) == ["llm.json", "pipeline.json"]
    assert json.loads(cm["data"]["pipeline.json"]) == dashboard
    (chart / "dashboards" / "pipeline.json").unlink()
    (chart / "dashboards" / "llm.json").unlink()
    assert not find(render(helm_bin, NON_DEFAULT_SETS["monitoring"], chart=chart), "ConfigMap",
                    "ts-ticketstream-dashboards"), "no dashboards, no ConfigMap"


def test_shipped_dashboards_are_valid_json(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["monitoring"])
    files = sorted(p.name for p in (CHART / "dashboards").glob("*.json"))
    found = find(manifests, "ConfigMap", "ts-ticketstream-dashboards")
    assert sorted(found[0]["data"]) == files if files else not found
    for name in files:
        json.loads((CHART / "dashboards" / name).read_text(encoding="utf-8"))


# -------------------------------------------------------------------------------------------- pollers


def test_pollers_are_off_by_default(helm_bin: Path) -> None:
    manifests = render(helm_bin)
    assert not [m for m in manifests if "poller" in m["metadata"]["name"]]
    assert not find(manifests, "PersistentVolumeClaim")


def test_one_poller_per_enabled_source_single_replica_recreated(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["pollers"])
    pollers = {d["metadata"]["name"]: d for d in find(manifests, "Deployment") if "-poller-" in d["metadata"]["name"]}
    assert set(pollers) == {"ts-ticketstream-poller-zendesk", "ts-ticketstream-poller-servicenow"}
    for d in pollers.values():
        assert d["spec"]["replicas"] == 1, "a second pod would page the same export and race on the cursor file"
        assert d["spec"]["strategy"] == {"type": "Recreate"}, "the old pod must stop before the new one starts"
    assert not find(manifests, "HorizontalPodAutoscaler") and not find(manifests, "PodDisruptionBudget", "poller")
    assert container(pollers["ts-ticketstream-poller-zendesk"])["args"] == ["connectors", "poll", "zendesk"]
    assert container(pollers["ts-ticketstream-poller-servicenow"])["args"] == [
        "connectors", "poll", "servicenow", "--tenant", "acme", "--tenant", "beta"]
    env = {e["name"]: e["value"] for e in container(pollers["ts-ticketstream-poller-zendesk"])["env"]}
    assert env["TICKETSTREAM_CONNECTORS_POLL_INTERVAL_S"] == "60"


def test_poller_cursor_lives_on_its_own_pvc_under_the_home(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["pollers"])
    home = one(manifests, "ConfigMap", "ts-ticketstream-config")["data"]["TICKETSTREAM_HOME"]
    claims = set()
    for source in ("zendesk", "servicenow"):
        pod = one(manifests, "Deployment", f"ts-ticketstream-poller-{source}")["spec"]["template"]["spec"]
        mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "cursors")
        assert mount["mountPath"] == f"{home}/connectors/cursors"  # where `connectors poll` keeps its cursors
        claim = next(v for v in pod["volumes"] if v["name"] == "cursors")["persistentVolumeClaim"]["claimName"]
        pvc = one(manifests, "PersistentVolumeClaim", claim)
        assert pvc["spec"]["accessModes"] == ["ReadWriteOncePod"]
        assert pvc["spec"]["storageClassName"] == "fast"
        assert pvc["spec"]["resources"]["requests"]["storage"] == "200Mi"
        assert pvc["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
        claims.add(claim)
        assert pod["securityContext"]["fsGroup"] == 10001, "the non-root user must be able to write the volume"
        assert pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"] is True
    assert len(claims) == 2, "one cursor volume per poller"


def test_poller_without_persistence_or_with_an_existing_claim(helm_bin: Path) -> None:
    ephemeral = render(helm_bin, {"pollers": {"freshdesk": {"enabled": True}, "persistence": {"enabled": False}}})
    assert not find(ephemeral, "PersistentVolumeClaim")
    pod = one(ephemeral, "Deployment", "ts-ticketstream-poller-freshdesk")["spec"]["template"]["spec"]
    assert "cursors" not in {v["name"] for v in pod["volumes"]}
    existing = render(helm_bin, {"pollers": {"freshdesk": {"enabled": True, "existingClaim": "fd-cursor"}}})
    assert not find(existing, "PersistentVolumeClaim")
    pod = one(existing, "Deployment", "ts-ticketstream-poller-freshdesk")["spec"]["template"]["spec"]
    assert {"name": "cursors", "persistentVolumeClaim": {"claimName": "fd-cursor"}} in pod["volumes"]


def test_poller_secrets_by_reference_only(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["pollers"])
    assert not find(manifests, "Secret"), "the chart creates no secret for the pollers"
    servicenow = container(one(manifests, "Deployment", "ts-ticketstream-poller-servicenow"))["envFrom"]
    zendesk = container(one(manifests, "Deployment", "ts-ticketstream-poller-zendesk"))["envFrom"]
    assert {"secretRef": {"name": "sn-creds"}} in servicenow and {"secretRef": {"name": "sn-creds"}} not in zendesk
    for env_from in (servicenow, zendesk):
        assert {"secretRef": {"name": "ticketstream-prod"}} in env_from
    worker = container(one(manifests, "Deployment", "ts-ticketstream-worker"))["envFrom"]
    assert {"secretRef": {"name": "sn-creds"}} not in worker, "a source's credentials go to its poller only"


# -------------------------------------------------------------------------------------------- jobs and vLLM


def test_backfill_job_runs_replay_once(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["backfill"])
    job = one(manifests, "Job", "ts-ticketstream-backfill-2025-06")
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["containers"][0]["args"] == ["replay", "--input", "/data/h.jsonl"]
    assert "livenessProbe" not in pod["containers"][0]
    assert job["spec"]["backoffLimit"] == 2


def test_vllm_deployment_and_the_url_the_classifier_gets(helm_bin: Path) -> None:
    manifests = render(helm_bin, NON_DEFAULT_SETS["vllm"])
    vllm = container(one(manifests, "Deployment", "ts-ticketstream-vllm"))
    assert vllm["args"][:2] == ["--model", "Qwen/Qwen2.5-1.5B-Instruct"]
    assert vllm["readinessProbe"]["httpGet"]["path"] == "/health"
    assert vllm["resources"]["limits"]["nvidia.com/gpu"] == 1
    service = one(manifests, "Service", "ts-ticketstream-vllm")
    data = one(manifests, "ConfigMap", "ts-ticketstream-config")["data"]
    assert data["TICKETSTREAM_OPENAI_BASE_URL"] == f"http://{service['metadata']['name']}:8000/v1"
    assert "TICKETSTREAM_OPENAI_BASE_URL" not in one(render(helm_bin), "ConfigMap", "ts-ticketstream-config")["data"]


# -------------------------------------------------------------------------------------------- schema


@pytest.mark.parametrize(("values", "message"), [
    ({"worker": {"replicas": -1}}, "/worker/replicas"),
    ({"kafka": {"partitions": 0}}, "/kafka/partitions"),
    ({"clickhouse": {"url": "http://admin:secret@ch:8123"}}, "/clickhouse/url"),
    ({"workers": {"replicas": 2}}, "workers"),
    ({"backfill": {"runId": "Run_1"}}, "/backfill/runId"),
    ({"settings": {"batch_size": "64"}}, "batch_size"),
    ({"pollers": {"zendesk": {"enabled": True, "replicas": 2}}}, "replicas"),
    ({"pollers": {"jira": {"enabled": True}}}, "jira"),
    ({"pollers": {"persistence": {"enabled": True, "accessModes": ["ReadOnlyMany"]}}}, "/pollers/persistence"),
])
def test_schema_rejects_bad_values_naming_them(helm_bin: Path, values: dict[str, Any], message: str) -> None:
    result = helm(helm_bin, "template", "ts", str(CHART), "--kube-version", KUBE_VERSION, *set_args(values),
                  check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_embedded_chdb_with_several_workers_is_refused(helm_bin: Path) -> None:
    result = helm(helm_bin, "template", "ts", str(CHART), "--kube-version", KUBE_VERSION,
                  *set_args({"clickhouse": {"url": ""}}), check=False)
    assert result.returncode != 0 and "worker.replicas must be 1" in result.stderr
    manifests = render(helm_bin, {"clickhouse": {"url": ""}, "worker": {"replicas": 1}})
    assert "CLICKHOUSE_URL" not in one(manifests, "ConfigMap", "ts-ticketstream-config")["data"]


# -------------------------------------------------------------------------------------------- Dockerfile


def test_dockerfile_passes_hadolint(hadolint_bin: Path) -> None:
    result = subprocess.run([str(hadolint_bin), "--no-color", str(REPO / "Dockerfile")], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_offline_and_dockerignore_keeps_the_context_small() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2, "multi-stage: build and runtime"
    runtime = text[text.index(stages[1]):]
    assert "USER ${UID}:${UID}" in runtime and "ARG UID=10001" in runtime
    for offline in ("HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1"):
        assert offline in runtime
    assert "RUN --network=none" in runtime, "the build proves the stage chain loads without network"
    ignore = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ignore[1] == "**" and "!processors/" in ignore


def test_pollers_are_probed_scraped_and_reachable_only_on_their_ops_port(helm_bin: Path) -> None:
    manifests = render(helm_bin, {**NON_DEFAULT_SETS["pollers"], "networkPolicy": {"enabled": True}})
    for source in ("zendesk", "servicenow"):
        name = f"ts-ticketstream-poller-{source}"
        c = container(one(manifests, "Deployment", name))
        assert c["ports"] == [{"name": "ops", "containerPort": 9100, "protocol": "TCP"}]
        assert {"name": "TICKETSTREAM_OPS_PORT", "value": "9100"} in c["env"]
        assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "ops"}  # the poll loop's heartbeat
        assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "ops"}
        service = one(manifests, "Service", name)
        assert service["metadata"]["labels"]["ticketstream.io/metrics"] == "true"  # the ServiceMonitor's selector
        assert service["spec"]["ports"] == [{"name": "metrics", "port": 9100, "targetPort": "ops", "protocol": "TCP"}]
        policy = one(manifests, "NetworkPolicy", name)
        assert [p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"]] == [9100]
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
        assert policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == f"poller-{source}"
    assert not find(render(helm_bin, {**NON_DEFAULT_SETS["pollers"], "networkPolicy": {"enabled": False}}),
                    "NetworkPolicy")
