import Fluent
import Vapor

/// The live seat map of a show: the cached layout, this show's prices, booked seats from one query and
/// holds from one store call.
struct AvailabilityService: Sendable {
    let holds: HoldService
    let clock: any AppClock

    func seatMap(showID: UUID, caller: AuthenticatedUser?, on db: any Database) async throws -> AvailabilityResponse {
        guard let show = try await Show.query(on: db).filter(\.$id == showID).with(\.$movie).with(\.$screen).first()
        else {
            throw APIError.notFound("Show")
        }
        let seats = try await holds.layouts.seats(of: show.$screen.id, on: db)
        let categories = try await SeatCategory.query(on: db).filter(\.$screen.$id == show.$screen.id)
            .sort(\.$displayOrder).sort(\.$name).all()
        let prices = try await ShowCategoryPrice.query(on: db).filter(\.$show.$id == showID).all()
        let priceByCategory = Dictionary(
            prices.map { ($0.$category.id, $0.priceMinor) }, uniquingKeysWith: { first, _ in first })
        let taken = try await holds.takenSeats(showID: showID, on: db)
        let booked = try await BookedSeats.ids(showID: showID, now: clock.now(), on: db)

        var counts = ["available": 0, "held": 0, "held_by_you": 0, "booked": 0, "unavailable": 0]
        let statuses = seats.map { seat -> AvailabilityResponse.SeatStatus in
            let status: String
            if !seat.isSellable {
                status = "unavailable"
            } else if booked.contains(seat.id) {
                status = "booked"
            } else if let holder = taken[seat.id] {
                status = holder == caller?.id ? "held_by_you" : "held"
            } else {
                status = "available"
            }
            counts[status, default: 0] += 1
            return .init(
                id: seat.id, label: seat.label, row: seat.row, column: seat.column, categoryId: seat.categoryId,
                kind: seat.kind, status: status)
        }
        return AvailabilityResponse(
            show: try ShowResponse(show, movie: show.movie, screen: show.screen, now: clock.now()),
            categories: try categories.map {
                .init(
                    id: try $0.requireID(), name: $0.name, displayOrder: $0.displayOrder,
                    priceMinor: priceByCategory[try $0.requireID()])
            },
            seats: statuses, counts: counts)
    }
}
