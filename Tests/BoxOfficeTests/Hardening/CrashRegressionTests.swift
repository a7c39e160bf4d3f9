import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// Requests that once killed the process (a trap takes every in-process hold with it), sent again as reported.
@Suite("Hardening: requests that crashed the server")
struct CrashRegressionTests {
    @Test func aHugeOffsetIsA422NotAnOverflow() async throws {
        try await withTestApp { t in
            let huge = try await t.request(.GET, "/movies?offset=9223372036854775800")
            #expect(huge.status == .unprocessableEntity)
            #expect(huge.problem?.errors?.first?.field == "offset")
            #expect(try await t.request(.GET, "/movies?offset=-1").status == .unprocessableEntity)
            #expect(try await t.request(.GET, "/movies?limit=101").status == .unprocessableEntity)
            #expect(try await t.request(.GET, "/movies?offset=\(PageRequest.maxOffset)").status == .ok)
            let customer = try await t.customer()
            #expect(
                try await t.request(.GET, "/seatlocks?offset=9223372036854775807", token: customer.accessToken).status
                    == .unprocessableEntity)
            #expect(try await t.request(.GET, "/health").status == .ok)
        }
    }

    @Test func bookingDatesAreISO8601AndBounded() async throws {
        try await withTestApp { t in
            let customer = try await t.customer()
            let huge = try await t.request(.GET, "/bookings?from=1e300", token: customer.accessToken)
            #expect(huge.status == .unprocessableEntity)
            #expect(huge.problem?.errors?.first?.field == "from")
            #expect(
                try await t.request(.GET, "/bookings?to=3000-01-01T00:00:00Z", token: customer.accessToken).status
                    == .unprocessableEntity)
            #expect(
                try await t.request(.GET, "/bookings?from=2026-01-01T00:00:00Z", token: customer.accessToken).status
                    == .ok)
            #expect(
                try await t.request(.GET, "/bookings?from=2026-01-01T05:30:00.250%2B05:30", token: customer.accessToken)
                    .status
                    == .ok)
        }
    }

    @Test func isoDatesParseAndOutOfRangeOnesDoNot() {
        #expect(QueryDate.parse("2026-01-01T00:00:00Z") == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(QueryDate.parse("2026-01-01T00:00:00.5Z") == Date(timeIntervalSince1970: 1_767_225_600.5))
        for bad in [
            "1e300", "1767225600", "1999-12-31T23:59:59Z", "2200-01-01T00:00:01Z", "2026-13-01T00:00:00Z", "", "now",
        ] {
            #expect(QueryDate.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func aRowOfZeroOrNegativeSeatsIsA422() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.request(
                .POST, "/screens", json: ["name": "Audi Z", "screen_type": "standard"],
                token: admin.accessToken
            ).content.decode(ScreenResponse.self)
            for seats in [0, -5, Int.min, 61] {
                let layout = LayoutRequest(
                    categories: [.init(name: "Classic", basePriceMinor: 100)],
                    rows: [.init(label: "A", category: "Classic", seats: seats, aislesAfter: [1], wheelchair: [1])])
                let response = try await t.request(
                    .POST, "/screens/\(screen.id)/layout", json: layout, token: admin.accessToken)
                #expect(response.status == .unprocessableEntity, "seats \(seats)")
                #expect(response.problem?.errors?.contains { $0.field == "rows[0].seats" } == true)
            }
            #expect(try await t.request(.GET, "/health").status == .ok)
        }
    }

    @Test func percentagesThatWrapOrCannotBeRepresentedAre422() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            for raw in [#""1e30""#, #""184467440737095516.17""#, "1e30", #""12.345""#, #""-1""#, #""NaN""#, "101"] {
                let body = #"{"category":"ticket","cgst":\#(raw),"sgst":6}"#
                let response = try await t.request(.POST, "/gst", token: admin.accessToken, rawBody: body)
                #expect(response.status == .unprocessableEntity, "cgst \(raw): \(response.body.string)")
            }
            #expect(try await t.request(.GET, "/gst").content.decode(APIPage<GSTRateResponse>.self).total == 0)
        }
    }

    @Test func percentParsingIsExact() {
        #expect(Percent("2.5")?.basisPoints == 250)
        #expect(Percent("100")?.basisPoints == 10_000)
        #expect(Percent("1e30") == nil)
        #expect(Percent("184467440737095516.17") == nil)
        #expect(Percent("0.001") == nil)
    }

    /// The seat map ignored no other public read's bad token: it answered 401.
    @Test func aBadTokenOnAPublicReadIsAnonymous() async throws {
        try await withTestApp { t in
            let f = try await HoldFixture.make(t)
            for header in ["Bearer not-a-jwt", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"] {
                let map = try await t.request(
                    .GET, "/shows/\(f.show.id)/availability", headers: ["Authorization": header])
                #expect(map.status == .ok)
                let best = try await t.request(
                    .GET, "/shows/\(f.show.id)/best-available?count=2", headers: ["Authorization": header])
                #expect(best.status == .ok)
            }
            // A private route still refuses it.
            #expect(
                try await t.request(.GET, "/bookings", headers: ["Authorization": "Bearer not-a-jwt"]).status
                    == .unauthorized)
        }
    }

    @Test func theEventBufferIsBounded() async {
        let bus = InMemoryEventBus(capacity: 3)
        for index in 0..<5 {
            await bus.publish(
                NotificationEvent(kind: .bookingConfirmed, userID: UUID(), bookingID: nil, message: "\(index)"))
        }
        #expect(bus.published.map(\.message) == ["2", "3", "4"])
    }
}
