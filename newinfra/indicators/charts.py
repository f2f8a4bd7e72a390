"""ECharts options built on the server: the pages only hand them to ``charts.js``."""

from __future__ import annotations

from newinfra.utilities.figures import axis_unit


def _scaled(values, divisor: float):
    return [None if v is None else round(float(v) / divisor, 2) for v in values]


def _value_axis(name: str, whole: bool = True) -> dict:
    """A value axis with the unit in its name; ``whole``: ticks are whole numbers (no "1,000,0")."""
    axis = {"type": "value", "name": name, "axisLabel": {"formatter": "{value}"}}
    return {**axis, "minInterval": 1} if whole else axis


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
    """Bars of ``series`` (raw values in ``unit``), drawn in the unit that keeps the ticks whole
    (万元 → 亿元 from 10亿元); the chart's table and export keep the raw values."""
    divisor, axis_name = axis_unit([v for s in series for v in s["data"]], unit)
    if divisor != 1:
        series = [
            {
                **s,
                "name": s["name"].replace(f"（{unit}）", f"（{axis_name}）"),
                "data": _scaled(s["data"], divisor),
            }
            for s in series
        ]
    value_axis = _value_axis(axis_name)
    if horizontal:  # the unit under the ticks, where the grid leaves room for it
        value_axis.update({"nameLocation": "middle", "nameGap": 26})
    cat_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0, "fontSize": 11}}
    option = {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0} if len(series) > 1 else {"show": False},
        "grid": {
            "left": 8,
            "right": 16,
            "top": 32 if len(series) > 1 or not horizontal else 16,
            "bottom": 32 if horizontal else 8,
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
    """Values by period against the target line and the forecast; districts as thin lines, all in
    the unit (万/亿) that keeps the axis ticks whole."""
    every = [p[1] for s in chart["series"] for p in s["data"]] + [t["value"] for t in chart["targets"]]
    divisor, axis_name = axis_unit(every, chart["unit"])

    def pts(data):
        return [[p[0], None if p[1] is None else round(float(p[1]) / divisor, 4)] for p in data]

    series = []
    for s in chart["series"]:
        series.append(
            {
                "type": "line",
                "name": s["name"],
                "data": pts(s["data"]),
                "symbolSize": 7,
                "lineStyle": {"width": 3},
            }
        )
    for d in chart["districts"]:
        if d["data"]:
            series.append(
                {
                    "type": "line",
                    "name": d["name"],
                    "data": pts(d["data"]),
                    "symbolSize": 3,
                    "lineStyle": {"width": 1},
                }
            )
    last = pts(chart["series"][0]["data"][-1:])[0] if chart["series"] and chart["series"][0]["data"] else None
    for i, t in enumerate(chart["targets"]):
        series.append(
            {
                "type": "line",
                "name": t["name"],
                "data": pts(
                    [
                        [chart["periods"][0] if chart["periods"] else t["deadline"], t["value"]],
                        [t["deadline"], t["value"]],
                    ]
                ),
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
                    "data": [last, *pts([[t["deadline"], t["forecast"]]])],
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
        "yAxis": {
            **_value_axis(axis_name, whole=max(map(abs, every), default=0) / divisor >= 10),
            "scale": True,
        },
        "series": series,
    }
