"""ECharts options built on the server: the pages only hand them to ``charts.js``."""

from __future__ import annotations

STATUS_COLORS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "grey": "#9e9e9e"}
PALETTE = [
    "#9e1b1b",
    "#1565c0",
    "#2e7d32",
    "#f9a825",
    "#6a1b9a",
    "#00838f",
    "#ef6c00",
    "#5d4037",
    "#455a64",
    "#c2185b",
    "#7cb342",
    "#3949ab",
]


def bar(categories, series, horizontal=False, unit="", links=None, stack=False) -> dict:
    value_axis = {"type": "value", "name": unit}
    cat_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0, "fontSize": 11}}
    option = {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0} if len(series) > 1 else {"show": False},
        "grid": {
            "left": 8,
            "right": 16,
            "top": 32 if len(series) > 1 else 16,
            "bottom": 8,
            "containLabel": True,
        },
        "xAxis": value_axis if horizontal else cat_axis,
        "yAxis": {**cat_axis, "inverse": True} if horizontal else value_axis,
        "series": [
            {
                "type": "bar",
                "name": s["name"],
                "data": s["data"],
                **({"stack": "all"} if stack else {}),
                **({"itemStyle": {"color": s["color"]}} if s.get("color") else {}),
            }
            for s in series
        ],
    }
    if links:
        option["_links"] = links
    return option


def status_stack(categories, counts_by_status, labels, links=None) -> dict:
    """Targets by category, stacked by light."""
    series = [
        {
            "name": labels[s],
            "data": [counts_by_status[s].get(c, 0) for c in categories],
            "color": STATUS_COLORS[s],
        }
        for s in ("green", "amber", "red", "grey")
    ]
    return bar(categories, series, horizontal=True, stack=True, links=links)


def pie(items, colors=None) -> dict:
    return {
        "color": colors or PALETTE,
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}（{d}%）"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "68%"],
                "data": [{"name": n, "value": v} for n, v in items],
                "label": {"formatter": "{b}\n{c}"},
            }
        ],
    }


def indicator_lines(chart: dict) -> dict:
    """Values by period against the target line and the forecast; districts as thin lines."""
    series = []
    for s in chart["series"]:
        series.append(
            {"type": "line", "name": s["name"], "data": s["data"], "symbolSize": 7, "lineStyle": {"width": 3}}
        )
    for d in chart["districts"]:
        if d["data"]:
            series.append(
                {
                    "type": "line",
                    "name": d["name"],
                    "data": d["data"],
                    "symbolSize": 3,
                    "lineStyle": {"width": 1},
                }
            )
    last = chart["series"][0]["data"][-1] if chart["series"] and chart["series"][0]["data"] else None
    for i, t in enumerate(chart["targets"]):
        series.append(
            {
                "type": "line",
                "name": t["name"],
                "data": [
                    [chart["periods"][0] if chart["periods"] else t["deadline"], t["value"]],
                    [t["deadline"], t["value"]],
                ],
                "lineStyle": {"type": "dashed", "color": "#c62828"},
                "itemStyle": {"color": "#c62828"},
                "symbol": "none" if i else "diamond",
            }
        )
        if t["forecast"] is not None and last:
            series.append(
                {
                    "type": "line",
                    "name": "预测" if i == 0 else f"预测{i + 1}",
                    "data": [last, [t["deadline"], round(t["forecast"], 4)]],
                    "lineStyle": {"type": "dotted", "color": "#1565c0"},
                    "itemStyle": {"color": "#1565c0"},
                }
            )
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "time"},
        "yAxis": {"type": "value", "name": chart["unit"], "scale": True},
        "series": series,
    }
