"""Plan documents → structured plans. Pure Python: nothing here imports Django.

Stages, each a module: read → normalise → structure → responsibilities → quantities, put
together by ``pipeline``.
"""

from .errors import DocumentError
from .model import PlanDocument, Section, Target, Task
from .pipeline import parse_file, parse_text

__all__ = ["DocumentError", "PlanDocument", "Section", "Target", "Task", "parse_file", "parse_text"]
