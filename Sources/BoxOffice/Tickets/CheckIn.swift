import Fluent
import Foundation

/// One admission at the door: a booking's ticket scanned in. At most one per booking (a unique constraint), so ten
/// scanners reading the same ticket at once admit it once.
final class CheckIn: Model, @unchecked Sendable {
    static let schema = "checkins"

    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Field(key: "show_id") var showID: UUID
    /// People admitted: the booking's seats.
    @Field(key: "admits") var admits: Int
    /// The usher or admin who scanned it.
    @Parent(key: "admitted_by") var admittedBy: User
    @Field(key: "admitted_at") var admittedAt: Date

    init() {}

    init(bookingID: UUID, showID: UUID, admits: Int, admittedBy: UUID, at: Date) {
        self.$booking.id = bookingID
        self.showID = showID
        self.admits = admits
        self.$admittedBy.id = admittedBy
        self.admittedAt = at
    }
}
