import Fluent
import Vapor

/// The rules of feedback: who may leave it and when, who sees it, and the admin's reply that notifies the customer.
struct FeedbackService: Sendable {
    let clock: any AppClock
    let outbox: OutboxRelay

    /// Feedback on the caller's own booking (anyone else's, or an unknown one, is a 404 "Booking"), which must be
    /// CONFIRMED and whose show must have started; one per booking, enforced by `uq_feedback_booking` too.
    func create(_ request: CreateFeedbackRequest, by caller: AuthenticatedUser, on db: any Database) async throws
        -> Feedback
    {
        try request.validate()
        // Even an admin leaves feedback only on their own bookings: it speaks for the customer who went.
        guard let booking = try await Booking.find(request.bookingId, on: db), booking.$user.id == caller.id else {
            throw APIError.notFound("Booking")
        }
        guard booking.status == .confirmed else { throw FeedbackError.bookingNotConfirmed(booking.status) }
        let show = try await booking.$show.get(on: db)
        let now = clock.now()
        guard now >= show.startsAt else { throw FeedbackError.showNotStarted }
        let bookingID = try booking.requireID()
        guard try await Feedback.query(on: db).filter(\.$booking.$id == bookingID).count() == 0 else {
            throw FeedbackError.exists
        }
        let feedback = Feedback()
        feedback.$booking.id = bookingID
        feedback.$user.id = caller.id
        feedback.$show.id = try show.requireID()
        feedback.$movie.id = show.$movie.id
        feedback.rating = request.rating
        feedback.comment = request.normalizedComment
        feedback.createdAt = now
        feedback.updatedAt = now
        do {
            try await feedback.create(on: db)
        } catch let error where Self.isOnePerBooking(error) {
            throw FeedbackError.exists  // lost a race with another request for the same booking
        }
        return feedback
    }

    /// Newest first. A customer sees only their own; the filters narrow that further.
    func list(_ filters: FeedbackListQuery, for caller: AuthenticatedUser, page: PageRequest, on db: any Database)
        async throws -> Page<FeedbackResponse>
    {
        let query = Feedback.query(on: db)
        if !caller.isAdmin { query.filter(\.$user.$id == caller.id) }
        if let rating = filters.rating { query.filter(\.$rating == rating) }
        if let movieID = filters.movieID { query.filter(\.$movie.$id == movieID) }
        if let showID = filters.showID { query.filter(\.$show.$id == showID) }
        return try await query.sort(\.$createdAt, .descending).sort(\.$id).page(page, map: FeedbackResponse.init)
    }

    /// The feedback if the caller wrote it or is an admin; otherwise, as if it did not exist, a 404.
    func visible(_ id: UUID, to caller: AuthenticatedUser, on db: any Database) async throws -> Feedback {
        guard let feedback = try await Feedback.find(id, on: db), caller.isAdmin || feedback.$user.id == caller.id
        else {
            throw APIError.notFound("Feedback")
        }
        return feedback
    }

    /// Stores (or replaces) the reply and, in the same transaction, the `feedback_replied` event for its author,
    /// then delivers the event at once. Replying again notifies again.
    func reply(_ id: UUID, with request: FeedbackReplyRequest, by admin: AuthenticatedUser, on db: any Database)
        async throws -> Feedback
    {
        try request.validate()
        let now = clock.now()
        let feedback = try await db.writeTransaction { tx -> Feedback in
            guard let feedback = try await Feedback.find(id, on: tx) else { throw APIError.notFound("Feedback") }
            let booking = try await feedback.$booking.get(on: tx)
            feedback.reply = request.reply.trimmed
            feedback.repliedAt = now
            feedback.$repliedBy.id = admin.id
            feedback.updatedAt = now
            try await feedback.save(on: tx)
            try await Outbox.enqueue(
                NotificationEvent(
                    kind: .feedbackReplied, userID: feedback.$user.id, bookingID: booking.requireID(),
                    feedbackID: id, message: "The cinema replied to your feedback on booking \(booking.reference)."),
                at: now, on: tx)
            return feedback
        }
        await outbox.kick(on: db)
        return feedback
    }

    /// Whether a failed insert hit the one-feedback-per-booking constraint (and not some other rule).
    static func isOnePerBooking(_ error: any Error) -> Bool {
        ConstraintViolation(error)?.violates(.feedbackBooking) == true
    }
}
