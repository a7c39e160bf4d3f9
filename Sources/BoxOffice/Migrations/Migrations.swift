import Fluent

extension Migrations {
    /// Every migration, in order. New ones go at the end of their group; groups never reorder.
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
        addOfferMigrations()
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
    }
}
