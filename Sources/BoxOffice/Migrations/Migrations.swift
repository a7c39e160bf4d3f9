import Fluent

extension Migrations {
    /// Every migration, in the order it first ran: Fluent records each by name, so a new one goes at the end and
    /// none ever moves (a migration slotted into the middle would run last on an existing database but in the
    /// middle on a fresh one).
    func addBoxOfficeMigrations() {
        add(CreateUser())
        add(CreateUserSession())
        add(CreateRefreshToken())
        add(CreateMovie())
        add(CreateScreen())
        add(CreateSeatCategory())
        add(CreateSeat())
        add(CreateShow())
        add(CreateShowCategoryPrice())
        add(CreateGSTRate())
        add(CreateFoodCategory())
        add(CreateFoodItem())
        add(CreateDiscount())
        add(CreateDiscountRedemption())
        add(CreateBooking())
        add(CreateBookingSeat())
        add(CreateBookingFood())
        add(CreateBookingStatusLog())
        add(CreateIdempotencyRecord())
        add(CreatePayment())
        add(CreateRefund())
        add(CreatePaymentEvent())
        add(AddRefundDelivery())
        add(CreateOutbox())
        add(AddBookingSeatShowIndex())
        add(CreateNotification())
        add(CreateFeedback())
        add(CreateAuditLog())
        add(CreateBackupRecords())
        add(AddBookingHoldID())
        add(AddBookingReferenceIndex())
        add(DropAuditLogActorKey())
        add(CreateCheckIn())
        add(AddReportIndexes())
        add(CreatePricingRules())
        add(CreateBookingExchanges())
        add(CreateWaitingRooms())
    }
}
