import Crypto
import Fluent
import Foundation
import Rules
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Check-in")
struct CheckInTests {
    /// An usher admits a ticket once: the second scan is 409 with the first admission's time; the door's count
    /// moves and the admission is audited with the usher as actor.
    @Test func usherAdmitsOnceAndTheSecondScanSaysWhen() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let (booking, ticket) = try await f.issued(["F5", "F6"], asha)
            _ = try await f.issued(["J1"], try await t.customer())
            let usher = try await t.usher()
            f.doorsOpen(plus: 30 * 60)
            let admitted = try await f.scan(ticket.code, usher)
            #expect(admitted.status == .ok, "\(admitted.body.string)")
            let answer = try admitted.content.decode(CheckInResponse.self)
            #expect(answer.reference == booking.reference && answer.bookingId == booking.id)
            #expect(answer.movieTitle == "Test Feature" && answer.screenName == "Audi 1")
            #expect(answer.startsAt == f.show.startsAt && answer.seats == ["F5", "F6"] && answer.admits == 2)
            #expect(answer.admittedAt == t.clock.now())

            let firstAt = t.clock.now()
            t.clock.advance(by: 120)
            let again = try await f.scan(ticket.code, usher)
            #expect(again.status == .conflict && again.problem?.code == "already_admitted")
            #expect(again.problem?.admittedAt == firstAt)
            #expect(again.body.string.contains("\"admitted_at\""))

            let counts = try await t.request(.GET, "/shows/\(f.show.id)/checkins", token: usher.accessToken)
            #expect(counts.status == .ok)
            let numbers = try counts.content.decode(ShowCheckInCounts.self)
            #expect(numbers.showId == f.show.id && numbers.admitted == 2 && numbers.sold == 3)

            let audit = try await AuditLog.query(on: t.app.db).filter(\.$action == "booking.admit").all()
            #expect(audit.count == 1)
            #expect(audit.first?.$actor.id == usher.id && audit.first?.entityID == booking.id.uuidString)
            #expect(audit.first?.entityType == "booking" && audit.first?.summary?.contains(booking.reference) == true)
        }
    }

    /// Admins admit too; customers may not scan (403), nor anyone anonymous (401).
    @Test func adminsAndUshersOnly() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let (_, ticket) = try await f.issued(["E7"], asha)
            f.doorsOpen()
            let asCustomer = try await f.scan(ticket.code, asha)
            #expect(asCustomer.status == .forbidden && asCustomer.problem?.code == "forbidden")
            #expect(try await t.request(.POST, "/checkins", json: ["code": ticket.code]).status == .unauthorized)
            #expect(
                try await t.request(.GET, "/shows/\(f.show.id)/checkins", token: asha.accessToken).status
                    == .forbidden)
            let admin = try await t.admin()
            #expect(try await f.scan(ticket.code, admin).status == .ok)
            let counts = try await t.request(.GET, "/shows/\(f.show.id)/checkins", token: admin.accessToken)
            #expect(try counts.content.decode(ShowCheckInCounts.self).admitted == 1)
            #expect(
                try await t.request(.GET, "/shows/\(UUID())/checkins", token: admin.accessToken).status == .notFound)
        }
    }

    /// Cancelled, refunded and expired bookings do not admit, whatever their code says.
    @Test func cancelledRefundedAndExpiredBookingsAreNotAdmissible() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let usher = try await t.usher()
            let admin = try await t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword)

            let (cancelled, cancelledTicket) = try await f.issued(["D1"], asha)
            #expect(
                try await t.request(.POST, "/bookings/\(cancelled.id)/cancel", token: asha.accessToken).status == .ok)

            let (refunded, refundedTicket) = try await f.issued(["D2"], asha)
            let payments = try await t.request(.GET, "/payments?limit=100", token: asha.accessToken)
                .content.decode(APIPage<PaymentResponse>.self).items
            let payment = try #require(payments.first { $0.bookingId == refunded.id })
            let refund = try await t.request(
                .POST, "/payments/\(payment.paymentId)/refund", json: RefundRequest(amountMinor: nil, reason: "x"),
                token: admin.accessToken)
            #expect(refund.status == .ok || refund.status == .created, "\(refund.body.string)")

            // A pending booking has no ticket; a code for it (signed with the server's key) still does not admit
            // once it has expired.
            let pending = try await f.f.book(["D3"], asha)
            let details = try #require(try await BookingDetails.load(pending.id, on: t.app.db))
            let pendingCode = try TicketCode.sign(
                TicketClaims(
                    bookingID: pending.id, showID: f.show.id, reference: pending.reference, seats: ["D3"],
                    notBefore: 0, expires: Int(details.endsAt.timeIntervalSince1970)),
                with: t.app.boxOffice.tickets.keys)

            f.doorsOpen(plus: 60)
            for (code, status) in [
                (cancelledTicket.code, BookingStatus.cancelled), (refundedTicket.code, .cancelled),
                (pendingCode, .expired),
            ] {
                let refused = try await f.scan(code, usher)
                #expect(refused.status == .conflict && refused.problem?.code == "not_admissible")
                #expect(refused.problem?.bookingStatus == status)
            }
            #expect(try await CheckIn.query(on: t.app.db).count() == 0)
        }
    }

    /// Forged, tampered, unknown-key, oversized and garbage codes are 422 `invalid_ticket`; a body past the route's
    /// limit is 413.
    @Test func forgedTamperedAndGarbageCodesAreInvalid() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let usher = try await t.usher()
            let (booking, ticket) = try await f.issued(["G1", "G2"], asha)
            f.doorsOpen(plus: 60)
            let parts = ticket.code.split(separator: ".").map(String.init)
            let payloadData = try #require(DoorVerifier.base64URL(Substring(parts[1])))
            let payload = try #require(try JSONSerialization.jsonObject(with: payloadData) as? [String: Any])

            var more = payload
            more["seats"] = ["G1", "G2", "G3"]
            let tampered = [parts[0], Base64URL.encode(try JSONSerialization.data(withJSONObject: more)), parts[2]]
                .joined(separator: ".")
            let strangerKeys = try TicketKeyring(seeds: [Curve25519.Signing.PrivateKey().rawRepresentation])
            let claims = TicketClaims(
                bookingID: booking.id, showID: f.show.id, reference: booking.reference, seats: ["G1", "G2"],
                notBefore: 0, expires: Int.max / 2)
            let foreign = try TicketCode.sign(claims, with: strangerKeys)
            let unsigned = Base64URL.encode(Data(#"{"alg":"none","kid":"x"}"#.utf8)) + ".\(parts[1])."
            let ours = t.app.boxOffice.tickets.keys
            var otherShow = claims
            otherShow.showID = UUID()
            var noBooking = claims
            noBooking.bookingID = UUID()
            let codes = [
                tampered, foreign, unsigned, "", "hello", "a.b.c", "\(ticket.code).x", ticket.code + "A",
                String(repeating: "A", count: TicketCode.maxLength + 1), parts[0] + ".." + parts[2],
                try TicketCode.sign(otherShow, with: ours), try TicketCode.sign(noBooking, with: ours),
            ]
            for code in codes {
                let refused = try await f.scan(code, usher)
                #expect(
                    refused.status == .unprocessableEntity && refused.problem?.code == "invalid_ticket",
                    "\(code.prefix(40)): \(refused.status)")
            }
            let tooBig = try await t.request(
                .POST, "/checkins", json: ["code": String(repeating: "A", count: 5000)], token: usher.accessToken,
                live: true)
            #expect(tooBig.status == .payloadTooLarge)
            let missing = try await t.request(.POST, "/checkins", json: ["ticket": "x"], token: usher.accessToken)
            #expect(missing.status == .unprocessableEntity && missing.problem?.code == "validation_failed")
            #expect(try await f.scan(ticket.code, usher).status == .ok, "the real code still admits")
        }
    }

    /// Admission opens 2 hours before the start and closes when the show ends.
    @Test func admissionWindowIsTwoHoursBeforeUntilTheEnd() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let usher = try await t.usher()
            let (_, early) = try await f.issued(["K1"], asha)
            let (_, late) = try await f.issued(["K2"], asha)
            let (_, afterwards) = try await f.issued(["K3"], asha)

            f.doorsOpen(plus: -1)
            let tooEarly = try await f.scan(early.code, usher)
            #expect(tooEarly.status == .conflict && tooEarly.problem?.code == "outside_window")
            #expect(tooEarly.problem?.detail.contains("08:00") == true, "\(tooEarly.problem?.detail ?? "")")
            f.doorsOpen()
            #expect(try await f.scan(early.code, usher).status == .ok)

            t.clock.set(f.show.endsAt.addingTimeInterval(-1))
            #expect(try await f.scan(late.code, usher).status == .ok)

            t.clock.set(f.show.endsAt)
            let tooLate = try await f.scan(afterwards.code, usher)
            #expect(tooLate.status == .conflict && tooLate.problem?.code == "outside_window")
        }
    }

    /// Ten scanners sending the same code at once: exactly one admits it, the others hear it was admitted.
    @Test func tenScannersAtOnceAdmitOnce() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let (booking, ticket) = try await f.issued(["H1", "H2"], asha)
            var ushers: [TestApp.Account] = []
            for _ in 0..<3 { ushers.append(try await t.usher()) }
            f.doorsOpen(plus: 600)
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
                for index in 0..<10 {
                    let usher = ushers[index % ushers.count]
                    group.addTask {
                        let response = try await t.request(
                            .POST, "/checkins", json: ["code": ticket.code], token: usher.accessToken)
                        return (response.status, response.problem?.code)
                    }
                }
                var all: [(HTTPStatus, String?)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(statuses.filter { $0.0 == .ok }.count == 1)
            #expect(statuses.filter { $0.0 == .conflict && $0.1 == "already_admitted" }.count == 9)
            #expect(try await CheckIn.query(on: t.app.db).filter(\.$booking.$id == booking.id).count() == 1)
            #expect(try await AuditLog.query(on: t.app.db).filter(\.$action == "booking.admit").count() == 1)
        }
    }

    /// An usher reaches the door and the public catalog, and no other staff route; customers' own routes stay theirs.
    @Test func ushersGetTheDoorAndNothingElse() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let (booking, payment) = try await f.f.bookAndPay(["E2"], asha)
            let usher = try await t.usher()
            let me = try await t.request(.GET, "/users/me", token: usher.accessToken).content.decode(UserResponse.self)
            #expect(me.role == .usher)
            for (method, path) in [
                (HTTPMethod.GET, "/users"), (.GET, "/audit-logs"), (.GET, "/users/\(asha.id)"),
                (.POST, "/movies"), (.PUT, "/shows/\(f.show.id)/cancel"),
                (.POST, "/payments/\(payment.paymentId)/refund"), (.GET, "/shows/available-slots"),
                (.GET, "/backup"), (.PATCH, "/users/\(asha.id)"),
            ] {
                let response = try await t.request(method, path, json: ["role": "admin"], token: usher.accessToken)
                #expect(response.status == .forbidden, "\(method) \(path): \(response.status)")
            }
            #expect(try await t.request(.GET, "/shows", token: usher.accessToken).status == .ok)
            #expect(try await t.request(.GET, "/shows/\(f.show.id)/checkins", token: usher.accessToken).status == .ok)
            // A customer's booking is still private from an usher.
            #expect(
                try await t.request(.GET, "/bookings/\(booking.id)/ticket", token: usher.accessToken).status
                    == .notFound)
            #expect(try await t.request(.GET, "/bookings/\(booking.id)", token: usher.accessToken).status == .notFound)
        }
    }

    /// The new answers have the shapes `/openapi.json` documents, problems included.
    @Test func answersMatchTheDocument() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let document = try JSONDecoder().decode(
                JSONValue.self, from: Data(buffer: try await t.request(.GET, "/openapi.json").body))
            let conformance = SchemaConformance(document: document)
            var problems: [String] = []
            func check(
                _ method: HTTPMethod, _ template: String, _ path: String, token: String? = nil,
                json: (any Encodable & Sendable)? = nil
            ) async throws -> TestingHTTPResponse {
                let response = try await t.request(method, path, json: json, token: token)
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                problems += conformance.problems(
                    method: method.rawValue, template: template, status: Int(response.status.code), body: body)
                return response
            }
            let asha = try await t.customer()
            let usher = try await t.usher()
            let (booking, _) = try await f.f.bookAndPay(["F1"], asha)
            let pending = try await f.f.book(["F2"], asha)
            let ticket = try await check(
                .GET, "/bookings/{id}/ticket", "/bookings/\(booking.id)/ticket", token: asha.accessToken)
            let code = try ticket.content.decode(TicketResponse.self).code
            _ = try await check(
                .GET, "/bookings/{id}/ticket", "/bookings/\(pending.id)/ticket", token: asha.accessToken)
            _ = try await check(.GET, "/bookings/{id}", "/bookings/\(booking.id)", token: asha.accessToken)
            _ = try await check(.GET, "/bookings", "/bookings", token: asha.accessToken)
            _ = try await check(.GET, "/tickets/keys", "/tickets/keys")
            _ = try await check(.POST, "/checkins", "/checkins", token: usher.accessToken, json: ["code": code])
            f.doorsOpen()
            _ = try await check(.POST, "/checkins", "/checkins", token: usher.accessToken, json: ["code": code])
            _ = try await check(.POST, "/checkins", "/checkins", token: usher.accessToken, json: ["code": code])
            _ = try await check(.POST, "/checkins", "/checkins", token: usher.accessToken, json: ["code": "x"])
            _ = try await check(.GET, "/shows/{id}/checkins", "/shows/\(f.show.id)/checkins", token: usher.accessToken)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }
}
