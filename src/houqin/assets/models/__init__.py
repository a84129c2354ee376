from .categories import AssetCategory, AssetSettings, CompensationPriceItem
from .damage import DamageReport
from .depreciation import DepreciationLine, DepreciationRun
from .disposal import AssetDisposal, AssetDisposalLine
from .movements import AssetLoan, AssetTransfer, AssetTransferLine
from .register import Asset, AssetMovement, period_label, period_of
from .stocktakes import Stocktake, StocktakeLine
from .totals import AssetRegisterTotal

__all__ = [
    "Asset",
    "AssetCategory",
    "AssetDisposal",
    "AssetDisposalLine",
    "AssetLoan",
    "AssetMovement",
    "AssetRegisterTotal",
    "AssetSettings",
    "AssetTransfer",
    "AssetTransferLine",
    "CompensationPriceItem",
    "DamageReport",
    "DepreciationLine",
    "DepreciationRun",
    "Stocktake",
    "StocktakeLine",
    "period_label",
    "period_of",
]
