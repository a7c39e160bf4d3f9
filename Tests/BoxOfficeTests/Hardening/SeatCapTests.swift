import Fluent
import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// The per-customer seat cap (10 per show) counts holds, pending and confirmed seats, and holds under races.
@Suite("Hardening: seat cap")
struct SeatCapTests {
    /// Reported: hold 10 → book → hold 10 more → book… gave one user 30 pending seats of one show.
    @Test(arguments: HoldStoreKind.available)
    func bookedSeatsCountTowardsTheCap(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let first = try await f.hold((1...10).map { "C\($0)" }, asha)
            #expect(try await f.book(first.lockId, asha).status == .created)
            let more = try await t.request(
                .POST, "/seatlocks",
                json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.seats["D1"]!]), token: asha.accessToken)
            #expect(more.status == .unprocessableEntity, "\(more.body.string)")
            #expect(more.problem?.errors?.first?.field == "seat_ids")
            let best = try await t.request(
                .POST, "/seatlocks",
                json: CreateSeatLockRequest(showId: f.show.id, bestAvailable: .init(count: 1)), token: asha.accessToken)
            #expect(best.status == .unprocessableEntity)
        }
    }

    @Test func aCancelledBookingFreesItsPlaceUnderTheCap() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold((1...10).map { "C\($0)" }, asha)
            let booking = try await f.book(lock.lockId, asha).content.decode(BookingResponse.self)
            #expect(try await t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken).status == .ok)
            _ = try await f.hold((1...10).map { "D\($0)" }, asha)
        }
    }

    /// Reported: 20 parallel 3-seat holds by one user on Redis gave 57 held seats.
    @Test(arguments: HoldStoreKind.available)
    func parallelHoldsByOneUserNeverPassTheCap(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await BookingFixture.make(t)
            let holds = t.app.boxOffice.holds
            let user = AuthenticatedUser(id: try await t.customer().id, role: .user, sessionID: UUID())
            let rows = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K"]
            let blocks = (0..<20).map { index in
                (1...3).map { number in f.seats["\(rows[index / 2])\(number + (index % 2) * 3)"]! }
            }
            let held = try await withThrowingTaskGroup(of: Int.self) { group in
                for block in blocks {
                    group.addTask {
                        do {
                            return try await holds.place(showID: f.show.id, seatIDs: block, for: user, on: t.app.db)
                                .seatIds.count
                        } catch let error as APIError where error.status == .unprocessableEntity {
                            return 0
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(held == 9)
            let stored = try await holds.store.holds(forUser: user.id).reduce(0) { $0 + $1.seatIds.count }
            #expect(stored == 9)
        }
    }
}
