from __future__ import annotations

from shopping.errors import NotFound


class CommentNotFound(NotFound):
    code = "COMMENT_NOT_FOUND"

    def __init__(self, comment_id: str) -> None:
        super().__init__(f"Comment {comment_id} not found on this order")
