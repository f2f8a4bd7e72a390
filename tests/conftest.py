import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))


def gold_for(seed: Path) -> dict:
    return json.loads((DATA / "gold" / (seed.stem + ".json")).read_text(encoding="utf-8"))


@pytest.fixture(params=SEEDS, ids=[s.stem[:3] for s in SEEDS])
def seed(request) -> Path:
    return request.param
