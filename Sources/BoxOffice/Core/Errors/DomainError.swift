import Rules
import Vapor

/// A feature's own error: each case has a stable machine `code` from the `ErrorCode` catalogue, an HTTP status and
/// words for people. `ProblemDetailsMiddleware` renders it as problem details like any `APIError`.
protocol DomainError: Error, Sendable {
    var status: HTTPResponseStatus { get }
    var code: ErrorCode { get }
    var detail: String { get }
    /// The seats a conflict is about, sent as `seat_ids`.
    var seatIds: [UUID]? { get }
    /// The booking's status, when the problem is about it (sent as `booking_status`).
    var bookingStatus: BookingStatus? { get }
    /// When a ticket was first admitted (sent as `admitted_at`).
    var admittedAt: Date? { get }
}

extension DomainError {
    var status: HTTPResponseStatus { .conflict }
    var seatIds: [UUID]? { nil }
    var bookingStatus: BookingStatus? { nil }
    var admittedAt: Date? { nil }

    var apiError: APIError {
        var error = APIError(status, code: code, detail: detail)
        error.seatIds = seatIds
        error.bookingStatus = bookingStatus
        error.admittedAt = admittedAt
        return error
    }
}
