import Fluent

extension Migrations {
    /// GST rates, discounts and food (the catalog's pricing inputs).
    func addOfferMigrations() {
        add(CreateGSTRate())
        add(CreateFoodCategory())
        add(CreateFoodItem())
        add(CreateDiscount())
        add(CreateDiscountRedemption())
    }
}
