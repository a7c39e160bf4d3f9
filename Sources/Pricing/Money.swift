/// Amounts are integers in minor units (paise).
public typealias MinorUnits = Int
