"""The data generation: one number that moves on with every committed write.

The rendered-page cache (``services.response_cache``) keeps a page only for the generation it was
rendered in; a write anywhere moves the number on in the writer's own transaction, so no page made
before the write is served after it.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base

#: The only row.
ROW_ID = 1


class DataGeneration(Base):
    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
