import Crypto
import Foundation
import Rules
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Tickets")
struct TicketTests {
    /// A confirmed booking's ticket names what was booked, and its code verifies with the published keys alone.
    @Test func confirmedBookingHasOneSignedTicketForTheParty() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let (booking, ticket) = try await f.issued(["F10", "F5", "F6"], asha)
            #expect(ticket.bookingId == booking.id && ticket.reference == booking.reference)
            #expect(ticket.movieTitle == "Test Feature" && ticket.screenName == "Audi 1")
            #expect(ticket.startsAt == f.show.startsAt)
            #expect(ticket.seats == ["F5", "F6", "F10"] && ticket.admits == 3)
            #expect(ticket.validFrom == f.show.startsAt.addingTimeInterval(-2 * 3600))
            #expect(ticket.validUntil == f.show.endsAt)

            let keys = try await t.request(.GET, "/tickets/keys")
            let door = try DoorVerifier(jwks: Data(buffer: keys.body))
            #expect(door.keys.count == 1)
            #expect(door.keys.allSatisfy { $0.kty == "OKP" && $0.use == "sig" && $0.alg == "EdDSA" })
            let verified = try #require(door.verify(ticket.code), "the JWKS alone verifies the code")
            #expect(verified.header["alg"] as? String == "EdDSA")
            #expect(verified.header["kid"] as? String == door.keys.first?.kid)
            #expect(verified.payload["bid"] as? String == booking.id.uuidString)
            #expect(verified.payload["sid"] as? String == f.show.id.uuidString)
            #expect(verified.payload["ref"] as? String == booking.reference)
            #expect(verified.payload["seats"] as? [String] == ["F5", "F6", "F10"])
            #expect((verified.payload["nbf"] as? Int).map(TimeInterval.init) == ticket.validFrom.timeIntervalSince1970)
            #expect((verified.payload["exp"] as? Int).map(TimeInterval.init) == ticket.validUntil.timeIntervalSince1970)

            // Ed25519 is deterministic: asking again gives the same QR.
            let again = try await f.ticket(booking.id, asha).content.decode(TicketResponse.self)
            #expect(again.code == ticket.code)
            // A flipped payload byte no longer verifies.
            var parts = ticket.code.split(separator: ".").map(String.init)
            parts[1] = String(parts[1].reversed())
            #expect(door.verify(parts.joined(separator: ".")) == nil)
        }
    }

    /// Pending, expired and cancelled bookings have no ticket: 409 naming the status.
    @Test func onlyAConfirmedBookingHasATicket() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            func refusal(_ booking: UUID) async throws -> (HTTPStatus, ProblemDetails?) {
                let response = try await f.ticket(booking, asha)
                return (response.status, response.problem)
            }
            let pending = try await f.f.book(["C1"], asha)
            var (status, problem) = try await refusal(pending.id)
            #expect(status == .conflict && problem?.code == "booking_not_confirmed")
            #expect(problem?.bookingStatus == .pending)

            let (paid, _) = try await f.f.bookAndPay(["C2"], asha)
            let cancelled = try await t.request(.POST, "/bookings/\(paid.id)/cancel", token: asha.accessToken)
            #expect(cancelled.status == .ok)
            (status, problem) = try await refusal(paid.id)
            #expect(status == .conflict && problem?.bookingStatus == .cancelled)

            t.clock.advance(by: TimeInterval(t.config.paymentWindowSeconds + 1))
            (status, problem) = try await refusal(pending.id)
            #expect(status == .conflict && problem?.bookingStatus == .expired)
        }
    }

    /// Another customer's booking is a 404; an admin sees any booking's ticket; a missing one is a 404.
    @Test func ownerOrAdminOnly() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let ravi = try await t.customer()
            let (booking, ticket) = try await f.issued(["E1"], asha)
            #expect(try await f.ticket(booking.id, ravi).status == .notFound)
            #expect(try await f.ticket(UUID(), asha).status == .notFound)
            #expect(try await t.request(.GET, "/bookings/\(booking.id)/ticket").status == .unauthorized)
            let admin = try await t.admin()
            let asAdmin = try await f.ticket(booking.id, admin)
            #expect(asAdmin.status == .ok)
            #expect(try asAdmin.content.decode(TicketResponse.self).code == ticket.code)
        }
    }

    /// The JWKS is public and cacheable, with an ETag a door device revalidates with.
    @Test func keysArePublicAndCacheable() async throws {
        try await withDoorApp { t in
            let keys = try await t.request(.GET, "/tickets/keys")
            #expect(keys.status == .ok)
            #expect(keys.headers.first(name: .cacheControl) == "public, max-age=300")
            let etag = try #require(keys.headers.first(name: .eTag))
            let set = try keys.content.decode(TicketKeySet.self)
            let key = try #require(set.keys.first)
            #expect(key.kty == "OKP" && key.crv == "Ed25519" && key.use == "sig" && key.alg == "EdDSA")
            #expect(DoorVerifier.base64URL(Substring(key.x))?.count == 32)
            // The kid is the key's RFC 7638 thumbprint, cut short: anyone with the JWKS can recompute it.
            let thumbprint = Data(SHA256.hash(data: Data(#"{"crv":"Ed25519","kty":"OKP","x":"\#(key.x)"}"#.utf8)))
            #expect(Base64URL.encode(thumbprint).hasPrefix(key.kid))
            #expect(!keys.body.string.contains("\"d\""), "no private member")
            let revalidated = try await t.request(.GET, "/tickets/keys", headers: ["If-None-Match": etag])
            #expect(revalidated.status == .notModified)
        }
    }

    /// Rotation: with `new,old` the new key signs and both verify, so tickets issued before still admit; with the
    /// old key dropped, its tickets no longer do.
    @Test func rotationKeepsOldTicketsValidWhileTheNewKeySigns() async throws {
        let old = Curve25519.Signing.PrivateKey().rawRepresentation
        let new = Curve25519.Signing.PrivateKey().rawRepresentation
        func signing(_ seeds: [Data]) -> (inout AppConfig) -> Void {
            {
                $0.accessTokenLifetime = 4 * 86_400
                $0.ticketSigningKeys = .seeds(seeds)
            }
        }
        let database = try await TestDatabase.make()
        var issued: (booking: BookingResponse, ticket: TicketResponse)?
        var oldKID = ""
        do {
            try await withTestDatabase(database, configure: signing([old])) { t in
                let f = try await TicketFixture.make(t)
                issued = try await f.issued(["G5"], try await t.customer("rotation@example.com"))
                oldKID = t.app.boxOffice.tickets.keys.signingKID
            }
            let first = try #require(issued)
            try await withTestDatabase(database, configure: signing([new, old])) { t in
                let keys = try await t.request(.GET, "/tickets/keys").content.decode(TicketKeySet.self)
                #expect(keys.keys.count == 2 && keys.keys.last?.kid == oldKID && keys.keys.first?.kid != oldKID)
                let door = try DoorVerifier(jwks: try JSONEncoder().encode(keys))
                #expect(door.verify(first.ticket.code) != nil, "the old key still verifies offline")
                let asha = try await t.login("rotation@example.com", "correct-horse")
                let reissued = try await t.request(
                    .GET, "/bookings/\(first.booking.id)/ticket", token: asha.accessToken
                ).content.decode(TicketResponse.self)
                #expect(door.verify(reissued.code)?.header["kid"] as? String == keys.keys.first?.kid)
                #expect(reissued.code != first.ticket.code)
                // And the server admits the ticket signed with the old key.
                t.clock.set(reissued.startsAt.addingTimeInterval(-3600))
                let usher = try await t.usher()
                let admitted = try await t.request(
                    .POST, "/checkins", json: ["code": first.ticket.code], token: usher.accessToken)
                #expect(admitted.status == .ok, "\(admitted.body.string)")
            }
            try await withTestDatabase(database, configure: signing([new])) { t in
                t.clock.set(first.ticket.startsAt.addingTimeInterval(-3600))
                let usher = try await t.usher()
                let refused = try await t.request(
                    .POST, "/checkins", json: ["code": first.ticket.code], token: usher.accessToken)
                #expect(refused.status == .unprocessableEntity && refused.problem?.code == "invalid_ticket")
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    /// Production refuses to start without `TICKET_SIGNING_KEY`, and a bad entry is named without echoing it.
    @Test func productionNeedsItsOwnTicketKey() throws {
        func problems(_ env: [String: String], _ environment: Environment = .production) -> [String] {
            configProblems(env, environment)
        }
        var env = OperationsHardeningTests.productionSecrets
        env["TICKET_SIGNING_KEY"] = nil
        #expect(problems(env).contains { $0.contains("TICKET_SIGNING_KEY must be set in production") })
        #expect(problems(env, .custom(name: "staging")).contains { $0.contains("TICKET_SIGNING_KEY") })
        #expect(problems(env, .development).isEmpty)
        let secret = Base64URL.encode(Data(repeating: 9, count: 31))
        env["TICKET_SIGNING_KEY"] = "\(Base64URL.encode(Data(repeating: 1, count: 32))), \(secret)"
        let bad = problems(env)
        #expect(bad.count == 1 && bad[0].contains("TICKET_SIGNING_KEY entry 2") && !bad[0].contains(secret))
        let seeds = [Data(repeating: 1, count: 32), Data(repeating: 2, count: 32)]
        env["TICKET_SIGNING_KEY"] = seeds.map(Base64URL.encode).joined(separator: ",")
        let config = try AppConfig.load(from: env, environment: .production)
        #expect(config.ticketSigningKeys == .seeds(seeds))
        #expect(!"\(config.ticketSigningKeys)".contains(Base64URL.encode(seeds[0])))
        // Development without it: a key generated into the data folder.
        #expect(
            try AppConfig.load(from: [:], environment: .development).ticketSigningKeys
                == .file(path: "data/ticket-signing.key"))
    }

    /// The development key is generated once, owner-only, and the same key is read back on the next start.
    @Test func developmentKeyIsGeneratedOnceAndKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tickets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("data/ticket-signing.key").path
        let first = try TicketKeyring.load(.file(path: path), logger: Logger(label: "test"))
        let second = try TicketKeyring.load(.file(path: path), logger: Logger(label: "test"))
        #expect(first.signingKID == second.signingKID)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let seed = try #require(TicketSigningKeys.seed(try String(contentsOfFile: path, encoding: .utf8)))
        #expect(try TicketKeyring(seeds: [seed]).signingKID == first.signingKID)
        #expect(!"\(first)".contains(Base64URL.encode(seed)), "the keyring never prints its key")
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: directory.appendingPathComponent("data").path)
        #expect(leftovers == ["ticket-signing.key"])
    }
}

@Suite("Booking details")
struct BookingDetailsTests {
    /// `GET /bookings/{id}` and the list say what was booked: movie, start, screen and seat labels in seat order.
    @Test func bookingReadsNameTheMovieTimeScreenAndSeats() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            let (first, _) = try await f.f.bookAndPay(["H10", "H9"], asha)
            let second = try await f.f.book(["B3"], asha)
            let one = try await t.request(.GET, "/bookings/\(first.id)", token: asha.accessToken)
                .content.decode(BookingResponse.self)
            #expect(one.movieTitle == "Test Feature" && one.screenName == "Audi 1")
            #expect(one.startsAt == f.show.startsAt && one.seatLabels == ["H9", "H10"])
            let list = try await t.request(.GET, "/bookings", token: asha.accessToken)
                .content.decode(APIPage<BookingResponse>.self)
            #expect(list.items.count == 2)
            let byID = Dictionary(uniqueKeysWithValues: list.items.map { ($0.id, $0) })
            #expect(byID[first.id]?.seatLabels == ["H9", "H10"] && byID[second.id]?.seatLabels == ["B3"])
            #expect(list.items.allSatisfy { $0.movieTitle == "Test Feature" && $0.startsAt == f.show.startsAt })
            #expect(list.items.allSatisfy { $0.screenName == "Audi 1" })
        }
    }

    /// Details for several bookings load together; unknown ids are left out; seats sort by row, then number.
    @Test func detailsLoadForManyBookingsAtOnce() async throws {
        try await withDoorApp { t in
            let f = try await TicketFixture.make(t)
            let asha = try await t.customer()
            var ids: [UUID] = []
            for label in ["A3", "A4", "A5"] { ids.append(try await f.f.book([label], asha).id) }
            let details = try await BookingDetails.load(ids + [UUID()], on: t.app.db)
            #expect(details.count == 3)
            #expect(ids.allSatisfy { details[$0]?.seats.count == 1 && details[$0]?.userID == asha.id })
            #expect(BookingDetails.seatOrder("F9", "F10") && BookingDetails.seatOrder("E12", "F1"))
        }
    }
}
