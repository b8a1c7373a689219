"""dti: Digital Transformation Index (DTI) reporting for a Vietnamese locality."""

__version__ = "0.1.0"
