"""Import and export at scale, on a fresh SQLite database.

    cd /work/main && DJANGO_SETTINGS_MODULE=houqin.settings.base HOUQIN_VAR_DIR=/tmp/hq-bench \\
        PYTHONPATH=src .venv/bin/python bench/import_export.py [--rooms 50000]

Each phase runs in its own process so that its peak memory is its own: the import of an
xlsx of 50,000 rooms through the import page (the Django test client, every middleware),
a plain ``bulk_create`` of the same rooms into another school as the baseline, and the
export of the rooms list to xlsx for one school (50,000 rows) and for both (100,000 rows).
Prints a Markdown table and writes ``bench/results/import-export-<date>-sqlite.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUILDINGS = 10
FLOORS = 20
USES = ["教室", "办公室", "Laboratory", "storeroom", "卫生间"]


def setup(workdir: Path) -> None:
    os.environ["HOUQIN_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings.base")
    os.environ.setdefault("HOUQIN_VAR_DIR", str(workdir))
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings

    django.setup()
    # Pages render without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The file itself is measured, as the background job builds it for long exports.
    settings.HOUQIN_EXPORT_INLINE_ROWS = 10**9


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def reset_peak() -> None:
    """Start a new peak-RSS measurement (Linux ≥ 4.0)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class Measure:
    def __enter__(self) -> Measure:
        import gc

        gc.collect()
        reset_peak()
        self.rss_before, _peak = rss_mb()
        self.cpu_start = time.process_time()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds = time.perf_counter() - self.start
        self.cpu_seconds = time.process_time() - self.cpu_start
        _rss, self.peak = rss_mb()

    def result(self, rows: int) -> dict[str, Any]:
        return {
            "rows": rows,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "rows_per_second": round(rows / self.seconds),
            "rss_before_mb": round(self.rss_before, 1),
            "peak_rss_mb": round(self.peak, 1),
            "peak_increase_mb": round(self.peak - self.rss_before, 1),
        }


def room_rows(count: int) -> list[list[Any]]:
    per_building = -(-count // BUILDINGS)
    rows = []
    for n in range(count):
        building, index = divmod(n, per_building)
        floor = 1 + index % FLOORS
        rows.append(
            [
                f"测试楼{building + 1:02d}",
                floor,
                f"{floor:02d}-{index:05d}",
                f"房间{n}",
                USES[n % len(USES)],
                40 + n % 20,
                round(30 + (n % 500) / 10, 1),
                "是" if n % 7 else "否",
            ]
        )
    return rows


def phase_prepare(workdir: Path, rooms: int) -> dict[str, Any]:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started

    from houqin.accounts.models import User
    from houqin.org.models import Building, Campus, District, School

    district = District.objects.create(name="基准区教育局", code="BENCH")
    for key, name in (("import", "导入中学"), ("baseline", "基准中学")):
        school = School.objects.create(
            district=district, name=name, code=f"BENCH-{key}", kind="junior"
        )
        campus = Campus.objects.create(school=school, name="主校区", is_main=True)
        for b in range(BUILDINGS):
            Building.objects.create(
                school=school,
                campus=campus,
                name=f"测试楼{b + 1:02d}",
                use="teaching",
                structure="rc",
                floors_above=FLOORS,
            )
    User.objects.create_superuser("bench", password="bench-password-2026", real_name="基准")

    import xlsxwriter

    started = time.perf_counter()
    path = workdir / "rooms.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("房间")
    header = ["楼栋", "楼层", "房间号", "名称", "用途", "容纳人数", "面积（m²）", "在用"]
    sheet.write_row(0, 0, header)
    for r, row in enumerate(room_rows(rooms), start=1):
        sheet.write_row(r, 0, row)
    book.close()
    return {
        "migrate_seconds": round(migrate_seconds, 2),
        "xlsx_seconds": round(time.perf_counter() - started, 2),
        "xlsx_bytes": path.stat().st_size,
    }


def client() -> Any:
    from django.test import Client

    from houqin.accounts.models import User

    web = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-CN")
    user = User.objects.get(username="bench")
    web.force_login(user, backend="houqin.accounts.backends.HouqinBackend")
    return web


def choose_school(web: Any, name: str | None) -> None:
    from houqin.org.models import School

    value = "all" if name is None else str(School.objects.get(name=name).pk)
    response = web.post("/core/school/", {"school": value, "next": "/"})
    assert response.status_code == 302, response.status_code


def phase_read(workdir: Path, rooms: int) -> dict[str, Any]:
    from houqin.core.imports import read_rows

    data = (workdir / "rooms.xlsx").read_bytes()
    with Measure() as m:
        sheet = read_rows(data, 100_000)
    assert len(sheet.rows) == rooms + 1
    return m.result(rooms)


def phase_import(workdir: Path, rooms: int) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from houqin.core.models import AuditEntry
    from houqin.org.models import Room, School

    web = client()
    choose_school(web, "导入中学")
    school = School.objects.get(name="导入中学")
    data = (workdir / "rooms.xlsx").read_bytes()
    upload = SimpleUploadedFile("rooms.xlsx", data)
    with Measure() as m:
        response = web.post("/org/rooms/import/", {"file": upload, "school": school.pk})
    if response.status_code != 302:
        text = re.sub(r"<[^>]+>|\s+", " ", response.content.decode())
        raise SystemExit(f"import refused ({response.status_code}): {text[-3000:]}")
    assert Room.objects.filter(school__name="导入中学").count() == rooms
    assert AuditEntry.objects.filter(content_type__model="room").count() == rooms
    return m.result(rooms)


def phase_bulk_create(workdir: Path, rooms: int) -> dict[str, Any]:
    from django.db import transaction

    from houqin.org.choices import RoomUse
    from houqin.org.models import Building, Room, School

    school = School.objects.get(name="基准中学")
    buildings = {b.name: b for b in Building.objects.filter(school=school)}
    codes = {str(label): code for code, label in RoomUse.choices} | {
        "教室": "classroom",
        "办公室": "office",
        "Laboratory": "laboratory",
        "storeroom": "storeroom",
        "卫生间": "toilet",
    }
    rows = room_rows(rooms)
    with Measure() as m:
        objs = [
            Room(
                school=school,
                building=buildings[row[0]],
                floor=row[1],
                number=row[2],
                name=row[3],
                use=codes[row[4]],
                capacity=row[5],
                area=row[6],
                is_active=row[7] == "是",
            )
            for row in rows
        ]
        with transaction.atomic():
            Room.objects.bulk_create(objs, batch_size=1000)
    assert Room.objects.filter(school=school).count() == rooms
    return m.result(rooms)


def phase_export(workdir: Path, rooms: int, school: str | None) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    web = client()
    choose_school(web, school)
    path = workdir / "export.xlsx"
    with Measure() as m:
        response = web.get("/org/rooms/?export=xlsx")
        assert response.status_code == 200
        with path.open("wb") as out:
            for chunk in response.streaming_content:
                out.write(chunk)
        response.close()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    result = m.result(len(sheet.to_python(skip_empty_area=False)) - 1)
    result["xlsx_bytes"] = path.stat().st_size
    return result


PHASES = {
    "prepare": phase_prepare,
    "read": phase_read,
    "import": phase_import,
    "bulk_create": phase_bulk_create,
    "export_50k": lambda w, n: phase_export(w, n, "导入中学"),
    "export_100k": lambda w, n: phase_export(w, n, None),
}


def run_phase(name: str, workdir: Path, rooms: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--phase", name, "--dir", str(workdir)]
    command += ["--rooms", str(rooms)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=50_000)
    parser.add_argument("--phase")
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.phase:
        workdir = Path(args.dir)
        setup(workdir)
        print(json.dumps(PHASES[args.phase](workdir, args.rooms)))
        return

    with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
        workdir = Path(tmp)
        results = {name: run_phase(name, workdir, args.rooms) for name in PHASES}
    report(results, args.rooms)


def report(results: dict[str, Any], rooms: int) -> None:
    ratio = results["import"]["seconds"] / results["bulk_create"]["seconds"]
    lines = [
        f"Import/export of {rooms:,} rooms, SQLite, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs",
        "",
        "| phase | rows | seconds | CPU seconds | rows/s | peak RSS (MB) | peak increase (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("read", "import", "bulk_create", "export_50k", "export_100k"):
        r = results[name]
        lines.append(
            f"| {name} | {r['rows']:,} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} "
            f"| {r['rows_per_second']:,} "
            f"| {r['peak_rss_mb']:.0f} | {r['peak_increase_mb']:.0f} |"
        )
    cpu_ratio = results["import"]["cpu_seconds"] / results["bulk_create"]["cpu_seconds"]
    lines += [
        "",
        f"import / bulk_create ratio: {ratio:.1f}× wall time, {cpu_ratio:.1f}× CPU time",
        f"load average while measuring: {os.getloadavg()[0]:.1f}",
    ]
    print("\n".join(lines))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.date.today().isoformat()
    payload = {
        "date": stamp,
        "database": "sqlite",
        "rooms": rooms,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "phases": results,
        "import_to_bulk_create_ratio": round(ratio, 2),
        "import_to_bulk_create_cpu_ratio": round(cpu_ratio, 2),
        "load_average": round(os.getloadavg()[0], 2),
    }
    path = out / f"import-export-{stamp}-sqlite.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
