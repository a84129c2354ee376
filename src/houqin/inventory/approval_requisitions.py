"""The requisition as an approval request type."""
