#!/usr/bin/env python3
"""Turns a rendered overlay into what `podman kube play --network host` can run on one machine.

  kube_play.py RENDERED_YAML OUT_DIR PORTS_JSON

Writes OUT_DIR/<deployment>.yaml (the Deployment with the ConfigMaps it references), the Secrets they
reference as OUT_DIR/secrets/<name>.json (to be created with `podman secret create`), and
OUT_DIR/probes.tsv (deployment, probe, URL: the HTTP probes the manifest declares, on this host),
OUT_DIR/<deployment>.limits (its memory and CPU limits in podman's notation), OUT_DIR/<deployment>.env
(the environment the Deployment gives its container, Secrets resolved, for the JVM and `podman run`), and
prints every change it made and every resource it left out, so nothing is substituted silently.
PORTS_JSON: {"postgres": 15432, "keycloak": "http://localhost:18180/realms/asylum-stats",
"otlp": "http://localhost:14317", "services": {"gateway": [18080, 19080], ...}}.
"""
import base64
import json
import os
import re
import sys
from collections import Counter

import yaml

rendered, out_dir, ports = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
os.makedirs(f"{out_dir}/secrets", exist_ok=True)
documents = [d for d in yaml.safe_load_all(open(rendered, encoding="utf-8")) if d]
services = ports["services"]

# What the cluster would provide and kube play cannot: the names below resolve through Services,
# CloudNativePG and the Keycloak Operator there; here they are this host's ports.
DATABASE = f"localhost:{ports['postgres']}"
REPLACEMENTS = [(f"http://{name}", f"http://localhost:{pair[0]}") for name, pair in services.items()] + [
    ("asylum-stats-db-rw:5432", DATABASE), ("asylum-stats-db-ro:5432", DATABASE),
    ("http://keycloak-service:8080/realms/asylum-stats", ports["keycloak"])]
ISSUER_KEYS = {"QUARKUS_OIDC_TOKEN_ISSUER", "QUARKUS_OIDC_DASHBOARD_TOKEN_ISSUER"}
# the embedded PostgreSQL's roles and the local Keycloak realm's client secret, instead of the dev values
SECRET_VALUES = {("asylum-stats-db-owner", "password"): "asylum_owner",
                 ("asylum-stats-db-stats-service", "password"): "stats_service",
                 ("asylum-stats-gateway-oidc", "client-secret"): "local-dev-gateway-secret"}
changes, dropped = [], Counter()


def substitute_config_map(config_map):
    name = config_map["metadata"]["name"]
    for key, value in config_map.get("data", {}).items():
        new = value
        if key in ISSUER_KEYS:
            new = ports["keycloak"]
        elif key == "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":
            new = ports["otlp"]
        else:
            for old, replacement in REPLACEMENTS:
                new = re.sub(re.escape(old) + r"(?=$|[/:])", replacement, new)
        if new != value:
            config_map["data"][key] = new
            changes.append(f"ConfigMap {name}: {key} {value} -> {new}")


def substitute_secret(secret):
    name = secret["metadata"]["name"]
    for key in list(secret.get("data", {})):
        if (name, key) in SECRET_VALUES:
            secret["data"][key] = base64.b64encode(SECRET_VALUES[(name, key)].encode()).decode()
            changes.append(f"Secret {name}: {key} -> the local value")


def substitute_deployment(deployment, probes):
    name = deployment["metadata"]["name"]
    http_port, management_port = services[name]
    spec = deployment["spec"]["template"]["spec"]
    for container in spec["containers"]:
        # on the host network the services listen on the host's ports; kube play refuses port mappings there
        named_ports = {p["name"]: http_port if p["name"] == "http" else management_port
                       for p in container.pop("ports", [])}
        env = [e for e in container.get("env", []) if e["name"] != "QUARKUS_HTTP_PORT"]
        container["env"] = env + [{"name": "QUARKUS_HTTP_PORT", "value": str(http_port)},
                                  {"name": "QUARKUS_MANAGEMENT_PORT", "value": str(management_port)}]
        changes.append(f"Deployment {name}: ports http {http_port}, management {management_port} (one host network: env QUARKUS_HTTP_PORT/QUARKUS_MANAGEMENT_PORT, containerPorts left out)")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            declared = container.pop(probe, None)
            if declared:
                get = declared["httpGet"]
                port = named_ports.get(get["port"], get["port"])
                probes.append(f"{name}\t{probe}\thttp://localhost:{port}{get['path']}")
        changes.append(f"Deployment {name}: HTTP probes polled from the host by verify.sh as the kubelet does"
                       " (podman would run them as curl inside the image, which has no curl)")
        lifecycle = container.pop("lifecycle", None)
        if lifecycle:
            changes.append(f"Deployment {name}: preStop {json.dumps(lifecycle['preStop'])} left out (podman 4.3 has no sleep action)")
    # kube play makes an emptyDir a named volume; the same name in every pod would be one shared volume
    for volume in spec.get("volumes", []):
        for container in spec["containers"]:
            for mount in container.get("volumeMounts", []):
                if mount["name"] == volume["name"]:
                    mount["name"] = f"{name}-{volume['name']}"
        changes.append(f"Deployment {name}: volume {volume['name']} named {name}-{volume['name']} (one per pod,"
                       " as an emptyDir is; its sizeLimit is not enforced by podman)")
        volume["name"] = f"{name}-{volume['name']}"
    limits = spec["containers"][0]["resources"]["limits"]
    cpus = str(limits["cpu"])
    cpus = str(int(cpus[:-1]) / 1000) if cpus.endswith("m") else cpus
    with open(f"{out_dir}/{name}.limits", "w", encoding="utf-8") as out:  # for `podman run` (--memory, --cpus)
        out.write(f"{limits['memory'].replace('Mi', 'm').replace('Gi', 'g')} {cpus}\n")
    for field in ("topologySpreadConstraints", "serviceAccountName"):
        if spec.pop(field, None) is not None:
            changes.append(f"Deployment {name}: {field} left out (no scheduler, no API server)")


by_kind = {}
for document in documents:
    by_kind.setdefault(document["kind"], {})[document["metadata"]["name"]] = document
for config_map in by_kind.get("ConfigMap", {}).values():
    substitute_config_map(config_map)
for secret in by_kind.get("Secret", {}).values():
    substitute_secret(secret)
probes = []
referenced_secrets = set()
for name, deployment in by_kind.get("Deployment", {}).items():
    if name not in services:
        dropped[f"Deployment {name}"] += 1
        continue
    substitute_deployment(deployment, probes)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    config_maps = [s["configMapRef"]["name"] for s in container.get("envFrom", []) if "configMapRef" in s]
    secrets = sorted({e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e})
    parts = [by_kind["ConfigMap"][c] for c in config_maps] + [deployment]
    with open(f"{out_dir}/{name}.yaml", "w", encoding="utf-8") as out:
        yaml.safe_dump_all(parts, out, sort_keys=False)
    # the same environment for the JVM jar and `podman run`: ConfigMaps first, the container's env over them
    environment = {}
    for config_map in config_maps:
        environment.update(by_kind["ConfigMap"][config_map].get("data", {}))
    for variable in container["env"]:
        if "valueFrom" in variable:
            reference = variable["valueFrom"]["secretKeyRef"]
            value = base64.b64decode(by_kind["Secret"][reference["name"]]["data"][reference["key"]]).decode()
        else:
            value = variable["value"]
        environment[variable["name"]] = value
    with open(f"{out_dir}/{name}.env", "w", encoding="utf-8") as out:
        out.writelines(f"{key}={value}\n" for key, value in environment.items())
    referenced_secrets.update(secrets)
    # podman 4.3 stores a Secret played from YAML as YAML, but secretKeyRef reads a podman secret as a
    # JSON object of base64 values ("is not valid JSON"), so each Secret becomes such a podman secret
    for secret in secrets:
        with open(f"{out_dir}/secrets/{secret}.json", "w", encoding="utf-8") as out:
            json.dump(by_kind["Secret"][secret]["data"], out)
with open(f"{out_dir}/probes.tsv", "w", encoding="utf-8") as out:
    out.write("\n".join(probes) + "\n")
for document in documents:
    if document["kind"] not in ("Deployment", "ConfigMap", "Secret"):
        dropped[document["kind"]] += 1
    elif document["kind"] == "Secret" and document["metadata"]["name"] not in referenced_secrets:
        dropped[f"Secret {document['metadata']['name']} (for the operators)"] += 1

print("substituted:")
for change in changes:
    print("  " + change)
print("not represented by kube play (what stands in for them here):")
STAND_INS = {
    "Service": "fixed ports on the host network; URLs rewritten above",
    "NetworkPolicy": "nothing: one host network, no policy enforcement (checked offline by deploy/k8s/check)",
    "HorizontalPodAutoscaler": "nothing: one replica of each",
    "PodDisruptionBudget": "nothing: no evictions here",
    "Ingress": "the gateway's port on the host; no TLS",
    "Cluster": "embedded PostgreSQL 17 started by this script (CloudNativePG operator resource)",
    "Keycloak": "Keycloak from Maven Central started by this script (Keycloak Operator resource)",
    "KeycloakRealmImport": "the same realm file imported by that Keycloak",
    "ServiceAccount": "nothing: no API server to talk to (tokens are not mounted anyway)",
    "Secret asylum-stats-realm-placeholders (for the operators)": "the local realm's own values",
    "Secret keycloak-db-owner (for the operators)": "Keycloak's own dev database",
}
for kind, count in sorted(dropped.items()):
    print(f"  {count} x {kind}: {STAND_INS.get(kind, 'left out')}")
