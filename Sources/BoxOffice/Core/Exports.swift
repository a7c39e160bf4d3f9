// The clock and the hold store live in their own Foundation-only target; every file here sees them.
@_exported import HoldStore
