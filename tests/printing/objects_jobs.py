"""Objects of printing (jobs) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.printing.models import PrintJob
    from houqin.printing.services.jobs import print_job_save

    job = print_job_save(
        actor=person,
        job=PrintJob(
            department=department,
            title="期中考试卷",
            description="原稿在文印室",
            purpose="exam",
            pages=4,
            copies=40,
        ),
    )
    return {"printjob": job}
