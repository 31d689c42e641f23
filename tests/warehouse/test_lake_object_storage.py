"""DuckLake with its data files on object storage: a real S3 API on 127.0.0.1 (moto's server,
spoken to over HTTP by DuckDB's httpfs) and the catalog in a real PostgreSQL."""

from __future__ import annotations

import pytest

from tests.localnet import free_port
from tests.warehouse.test_store import fact, load
from transform.indicators import default_catalogue
from warehouse.lake import LakeTarget
from warehouse.store import Warehouse


@pytest.fixture
def s3(monkeypatch):
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "govreports-test"),
        ("AWS_SECRET_ACCESS_KEY", "govreports-test-secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", endpoint),
    ):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="govreports-lake")
    yield client
    server.stop()


def test_lake_data_files_go_to_object_storage(postgres, s3):
    lake = LakeTarget(postgres.create_database("lake_s3"), "s3://govreports-lake/lake/")
    with Warehouse(lake=lake) as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.load_documents([load(), load(url="http://a.cn/t2.html", facts=(fact(7.0),))], "l1")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="govreports-lake").get("Contents", [])]
    assert keys and all(k.startswith("lake/") for k in keys)
    assert any(k.endswith(".parquet") for k in keys)
    with Warehouse(lake=lake, read_only=True) as wh:  # another connection reads them back
        rows = wh.con.execute(
            "SELECT d.url, f.value FROM fct_indicator_value f JOIN dim_document d "
            "USING (document_key) ORDER BY 1"
        ).fetchall()
    assert rows == [("http://a.cn/t1.html", 6.0), ("http://a.cn/t2.html", 7.0)]
