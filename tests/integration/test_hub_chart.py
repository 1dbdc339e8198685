"""Beyond one machine: the Zero to JupyterHub chart 4.4.0, rendered with hub/values.yaml, no cluster.

The chart is vendored beside the project (shared/vendor/, no registry serves it); helm-python-sdk
embeds Helm itself. Each safety setting must be stated in hub/values.yaml (a chart upgrade that
changes a default cannot change it silently) and must show in what Helm renders.
"""

import base64
import json
import shutil
from ipaddress import ip_network
from pathlib import Path

import helm_python as helm
import pytest
import yaml

from hub import safe_puller, sizing

ROOT = Path(__file__).resolve().parents[2]
VALUES = ROOT / "hub/values.yaml"
CHART = "shared/vendor/zero-to-jupyterhub-4.4.0/jupyterhub"
PRIVATE = [ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32")]


def vendored_chart() -> Path:
    for folder in ROOT.parents:
        if (folder / CHART / "Chart.yaml").exists():
            return folder / CHART
    raise AssertionError(f"No {CHART} above {ROOT}: the project expects shared/ beside it.")


@pytest.fixture(scope="module")
def chart(tmp_path_factory):
    """The vendored chart with values.schema.json made from its values.schema.yaml, as its release does."""
    copy = tmp_path_factory.mktemp("chart") / "jupyterhub"
    shutil.copytree(vendored_chart(), copy)
    schema = yaml.safe_load((copy / "values.schema.yaml").read_text())
    (copy / "values.schema.json").write_text(json.dumps(schema))
    return helm.Chart.load(copy)


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text())


@pytest.fixture(scope="module")
def rendered(chart, values):
    """{(kind, name): object} of everything the chart renders with our values."""
    manifests = chart.render(values, name="course", namespace="course", is_install=True)
    objects = [doc for path, text in manifests.items() if path.endswith(".yaml")
               for doc in yaml.safe_load_all(text) if doc]
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


@pytest.fixture(scope="module")
def hub_values(rendered):
    """The values the hub runs with: the hub's Secret, as rendered."""
    return yaml.safe_load(base64.b64decode(rendered[("Secret", "hub")]["data"]["values.yaml"]))


def stated(values: dict, path: str):
    """The value at a dotted path of hub/values.yaml, failing if the file does not state it."""
    node = values
    for key in path.split("."):
        assert isinstance(node, dict) and key in node, f"hub/values.yaml does not state {path}"
        node = node[key]
    return node


def test_the_values_pass_the_charts_schema(chart, values):
    assert chart.schema["properties"]["singleuser"]
    chart.validate_schema(values)
    with pytest.raises(helm.HelmValuesError):
        chart.validate_schema({**values, "singleuser": {**values["singleuser"], "uid": "root"}})


def test_students_servers_never_run_as_root(values, hub_values):
    assert stated(values, "singleuser.uid") == hub_values["singleuser"]["uid"] == 1000
    assert stated(values, "singleuser.allowPrivilegeEscalation") is False
    assert hub_values["singleuser"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("component", ["hub", "proxy", "singleuser"])
def test_network_policies_are_on(values, rendered, component):
    assert stated(values, {"hub": "hub.networkPolicy.enabled", "proxy": "proxy.chp.networkPolicy.enabled",
                           "singleuser": "singleuser.networkPolicy.enabled"}[component]) is True
    policy = rendered[("NetworkPolicy", component)]["spec"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}


def test_a_students_pod_reaches_no_private_address_or_metadata_server_except_for_dns(values, rendered):
    assert stated(values, "singleuser.networkPolicy.egressAllowRules.privateIPs") is False
    assert stated(values, "singleuser.networkPolicy.egressAllowRules.cloudMetadataServer") is False
    assert stated(values, "singleuser.cloudMetadata.blockWithIptables") is True
    for rule in rendered[("NetworkPolicy", "singleuser")]["spec"]["egress"]:
        dns_only = {p["port"] for p in rule.get("ports", [])} == {53}
        for target in rule["to"]:
            block = target.get("ipBlock")
            if block and not dns_only:
                open_to = ip_network(block["cidr"])
                closed = [ip_network(c) for c in block.get("except", [])]
                for private in PRIVATE:
                    assert not open_to.overlaps(private) or any(private.subnet_of(c) for c in closed), rule


def test_the_idle_culler_is_on_with_the_one_machine_hubs_timeout(values, hub_values):
    assert stated(values, "cull.enabled") is True and hub_values["cull"]["enabled"] is True
    config = (ROOT / "hub/jupyterhub_config.py").read_text()
    assert f"COURSE_HUB_IDLE_TIMEOUT', '{stated(values, 'cull.timeout')}'" in config
    assert f"COURSE_HUB_CULL_EVERY', '{stated(values, 'cull.every')}'" in config
    assert (hub_values["cull"]["timeout"], hub_values["cull"]["every"]) == (3600, 300)


def test_each_students_guarantees_and_limits_follow_the_sizing_rule(values, hub_values):
    assert stated(values, "singleuser.memory") == hub_values["singleuser"]["memory"] == sizing.MEMORY
    assert stated(values, "singleuser.cpu") == hub_values["singleuser"]["cpu"] == sizing.CPU
    assert sizing.students_at_once(cores=4, memory_gb=16) == 28  # the README's example node


def test_only_the_start_hook_pulls_and_only_the_course_into_a_plain_folder(values, hub_values):
    assert "--ServerApp.jpserver_extensions=nbgitpuller=False" in stated(values, "singleuser.cmd")
    assert hub_values["singleuser"]["cmd"] == values["singleuser"]["cmd"]
    command = stated(values, "singleuser.lifecycleHooks.postStart.exec.command")
    assert command[0] == "gitpuller" and len(command) == 4
    _, repo, _, target = command
    assert safe_puller.pull_refusal(repo, target, repo) is None
    assert stated(values, "singleuser.defaultUrl").startswith(f"/lab/tree/{target}/")
