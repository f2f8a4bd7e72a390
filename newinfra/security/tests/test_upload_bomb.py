"""An .xlsx that unpacks to hundreds of megabytes, or holds a sea of blank rows, is refused at once
with a Chinese message, nothing is imported, and the site answers other requests meanwhile."""

from __future__ import annotations

import http.cookiejar
import io
import re
import struct
import threading
import urllib.request
import uuid
import zipfile

import pytest

from newinfra.conftest import serve
from newinfra.projects.tests.helpers import client_for
from newinfra.utilities import workbooks

SHEET = "xl/worksheets/sheet1.xml"


def with_blank_rows(template: bytes, rows: int) -> bytes:
    """The template with ``rows`` styled but empty rows appended to its first sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == SHEET:
                xml = data.decode("utf-8")
                start = max(int(n) for n in re.findall(r'<row r="(\d+)"', xml)) + 1
                blank = "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(start, start + rows))
                xml = xml.replace("</sheetData>", blank + "</sheetData>")
                xml = re.sub(r'(<dimension ref="[A-Z]+\d+:[A-Z]+)\d+', rf"\g<1>{start + rows}", xml)
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def declare_unpacked_size(package: bytes, name: str, size: int) -> bytes:
    """The same bytes, with ``name`` declared (local header and central directory) as ``size`` bytes."""
    buf = bytearray(package)
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        offset = z.getinfo(name).header_offset
    struct.pack_into("<I", buf, offset + 22, size)
    i = buf.find(b"PK\x01\x02")
    while i != -1:
        n = struct.unpack_from("<H", buf, i + 28)[0]
        if bytes(buf[i + 46 : i + 46 + n]) == name.encode():
            struct.pack_into("<I", buf, i + 24, size)
        i = buf.find(b"PK\x01\x02", i + 4)
    return bytes(buf)


def _template(client) -> bytes:
    r = client.get("/projects/templates/declaration.xlsx")
    assert r.status_code == 200
    return r.content


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.django_db
def test_a_package_declaring_600_mb_unpacked_is_refused_before_it_is_opened():
    from newinfra.projects.models import Project

    client = client_for("mobile")
    bomb = declare_unpacked_size(with_blank_rows(_template(client), 2000), SHEET, 600 * 1024 * 1024)
    assert len(bomb) < 200_000  # small on the wire
    before = Project.objects.count()
    upload = io.BytesIO(bomb)
    upload.name = "bomb.xlsx"
    r = client.post("/projects/import/", {"kind": "declaration", "file": upload}, follow=True)
    assert "解压后超过200MB" in _messages(r)
    assert Project.objects.count() == before


@pytest.mark.django_db
def test_blank_rows_count_against_the_row_limit():
    client = client_for("mobile")
    sheet = with_blank_rows(_template(client), workbooks.MAX_ROWS + 10)
    upload = io.BytesIO(sheet)
    upload.name = "blank.xlsx"
    r = client.post("/projects/import/", {"kind": "declaration", "file": upload}, follow=True)
    assert "空行也计算在内" in _messages(r)


def test_the_time_budget_stops_a_long_read_with_a_chinese_message():
    budget = workbooks.Budget(seconds=0)
    budget.deadline -= 1
    with pytest.raises(workbooks.ImportFileError, match="没有任何数据被导入"):
        budget.check()


# --- on a served platform: a second request is answered while the bomb is refused ----------------


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("var"), workers=2) as served:
        yield served


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str, timeout: float = 30):
        with self.opener.open(self.base + path, timeout=timeout) as r:
            return r.status, r.read()

    def post(self, path: str, fields: dict, files: dict | None = None, timeout: float = 60):
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for k, v in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        for k, (filename, data) in (files or {}).items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            body.write(data + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        req = urllib.request.Request(self.base + path, data=body.getvalue(), method="POST")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("Referer", self.base + path)
        with self.opener.open(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")

    def login(self, username: str, password: str = "newinfra2026"):
        self.get("/login/")
        status, _ = self.post(
            "/login/", {"csrfmiddlewaretoken": self.csrf(), "username": username, "password": password}
        )
        assert status == 200


@pytest.mark.slow
def test_while_a_bomb_is_uploaded_the_sign_in_page_still_answers(platform):
    declarant = Browser(platform.url)
    declarant.login("mobile")
    _, template = declarant.get("/projects/templates/declaration.xlsx")
    bomb = declare_unpacked_size(with_blank_rows(template, 2000), SHEET, 600 * 1024 * 1024)
    declarant.get("/projects/import/")
    result = {}

    def upload():
        result["answer"] = declarant.post(
            "/projects/import/",
            {"csrfmiddlewaretoken": declarant.csrf(), "kind": "declaration"},
            {"file": ("bomb.xlsx", bomb)},
        )

    thread = threading.Thread(target=upload)
    thread.start()
    status, page = Browser(platform.url).get("/login/", timeout=10)  # fails the test if not answered
    thread.join(timeout=60)
    assert status == 200 and "登录" in page.decode("utf-8")
    assert not thread.is_alive()
    status, html = result["answer"]
    assert status == 200 and "解压后超过200MB" in html
