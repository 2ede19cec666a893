"""ORM table definitions, one module per aggregate; imported together so metadata is complete."""

from shopping.models.base import Base
from shopping.models.checkout import (
    CheckoutSessionRow,
    CheckoutSignatureRow,
    CheckoutTransactionRow,
)
from shopping.models.clients import ApiClient
from shopping.models.discounts import (
    DiscountCustomerRefRow,
    DiscountRuleRow,
    DiscountRuleTargetRow,
    DiscountUsageRefRow,
    DiscountUsageRow,
)
from shopping.models.drafts import DraftEventRow, DraftFacetRow, DraftOrderRow, OrderIdReservation
from shopping.models.idempotency import IdempotencyKeyRow
from shopping.models.orders import OrderCommentRow, OrderEventRow, OrderFacetRow, OrderRow
from shopping.models.payments import PaymentOperationRow, PaymentSessionRow, PayoutRuleRow
from shopping.models.webhooks import (
    DeliveryAttemptRow,
    DeliveryRow,
    OutboxMessageRow,
    RelayCursorRow,
    SubscriptionRow,
)

__all__ = [
    "ApiClient",
    "Base",
    "CheckoutSessionRow",
    "CheckoutSignatureRow",
    "CheckoutTransactionRow",
    "DeliveryAttemptRow",
    "DeliveryRow",
    "DiscountCustomerRefRow",
    "DiscountRuleRow",
    "DiscountRuleTargetRow",
    "DiscountUsageRefRow",
    "DiscountUsageRow",
    "DraftEventRow",
    "DraftFacetRow",
    "DraftOrderRow",
    "IdempotencyKeyRow",
    "OrderCommentRow",
    "OrderEventRow",
    "OrderFacetRow",
    "OrderIdReservation",
    "OrderRow",
    "OutboxMessageRow",
    "PaymentOperationRow",
    "PaymentSessionRow",
    "PayoutRuleRow",
    "RelayCursorRow",
    "SubscriptionRow",
]
