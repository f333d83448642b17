"""Documents' HTTP controllers (thin: the request read, the handler called, the answer shaped)."""

from __future__ import annotations

from .content import ContentController
from .documents import DocumentController
from .freezes import FreezeController
from .purposes import PurposesController

ROUTES = [PurposesController, DocumentController, ContentController, FreezeController]
