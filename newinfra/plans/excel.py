"""The task ledger as an Excel workbook."""

from newinfra.utilities.tables import xlsx_response


def units_text(task, lead: bool | None = None) -> str:
    return "、".join(
        r.organization.name for r in task.active_responsibilities if lead is None or r.is_lead == lead
    )


def ledger_xlsx(tasks, script: str):
    """任务分工台账 as .xlsx: one row per task."""
    rows = []
    for t in tasks:
        rows.append(
            [
                t.plan.title,
                t.number,
                t.title,
                t.text,
                units_text(t, lead=True),
                units_text(t, lead=False),
                "\n".join(f"{x.indicator_as_written} {x.display_value}" for x in t.active_targets),
                t.deadline_text,
                t.deadline_date,
                t.progress_note,
            ]
        )
    return xlsx_response(
        "任务分工台账.xlsx",
        "任务分工台账",
        [
            "规划",
            "序号",
            "任务",
            "主要内容",
            "牵头单位",
            "责任单位",
            "量化指标",
            "完成时限",
            "完成日期",
            "进展情况",
        ],
        rows,
        [24, 6, 24, 80, 20, 36, 30, 14, 12, 30],
        script,
    )
