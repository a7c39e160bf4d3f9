import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import BoxOffice

extension TestApp {
    /// Runs `body` while the app's HTTP server listens on a free loopback port (WebSocket tests need a real socket),
    /// and stops the server afterwards, even when `body` throws.
    func listening(_ body: (Int) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            guard let port = app.http.server.shared.localAddress?.port else { throw TestSocket.Failure.noPort }
            try await body(port)
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }
}

/// A real WebSocket client for tests: connects to a listening test app and keeps every text message it is sent.
final class TestSocket: Sendable {
    enum Failure: Error, Equatable {
        case noPort
        case noSocket
        case noAnswer
        case refused(HTTPResponseStatus)
    }

    let ws: WebSocket
    private let inbox: NIOLockedValueBox<[JSONValue]>

    private init(ws: WebSocket, inbox: NIOLockedValueBox<[JSONValue]>) {
        self.ws = ws
        self.inbox = inbox
    }

    /// Connects to `/ws` with the token in the query (or in `headers`); a refused upgrade throws `refused(status)`.
    static func connect(port: Int, token: String?, headers: HTTPHeaders = [:], on group: any EventLoopGroup)
        async throws -> TestSocket
    {
        let inbox = NIOLockedValueBox<[JSONValue]>([])
        let opened = NIOLockedValueBox<WebSocket?>(nil)
        let query = token.map { "?token=\($0)" } ?? ""
        do {
            let upgraded: EventLoopFuture<Void> = WebSocket.connect(
                to: "ws://127.0.0.1:\(port)/ws\(query)", headers: headers,
                configuration: .init(maxFrameSize: 1 << 20), on: group
            ) { ws in
                opened.withLockedValue { $0 = ws }
                ws.onText { _, text in
                    if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
                        inbox.withLockedValue { $0.append(value) }
                    }
                }
            }
            // WebSocketKit's client never completes its future when the server closes the connection before
            // answering the upgrade (an idle timeout, a server shutting down), so the wait is bounded here.
            let bounded = upgraded.eventLoop.makePromise(of: Void.self)
            let timer = upgraded.eventLoop.scheduleTask(in: .seconds(10)) { bounded.fail(Failure.noAnswer) }
            upgraded.whenComplete { _ in timer.cancel() }
            upgraded.cascade(to: bounded)
            try await bounded.futureResult.get()
        } catch WebSocketClient.Error.invalidResponseStatus(let head) {
            throw Failure.refused(head.status)
        }
        // The upgrade's future may complete just before the client's upgrade callback has run.
        var ws = opened.withLockedValue { $0 }
        for _ in 0..<100 where ws == nil {
            try await Task.sleep(for: .milliseconds(10))
            ws = opened.withLockedValue { $0 }
        }
        guard let ws else { throw Failure.noSocket }
        let socket = TestSocket(ws: ws, inbox: inbox)
        // The server says ready as soon as the socket opens; with the whole suite loading both cores (PostgreSQL's run,
        // twice in a row) it once came later than the 3 s the other messages are given.
        _ = try await socket.next("ready", within: 10)
        return socket
    }

    func send(_ message: [String: String]) async throws {
        let data = try JSONSerialization.data(withJSONObject: message)
        try await ws.send(String(decoding: data, as: UTF8.self))
    }

    /// Follows a show's seat changes and waits for the server's confirmation.
    func subscribe(_ show: UUID) async throws {
        try await send(["type": "subscribe", "show_id": show.uuidString])
        _ = try await next("subscribed")
    }

    /// The first message not yet taken of this `type` matching `condition`, waiting up to `seconds`; it is taken.
    func next(
        _ type: String, within seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
        where condition: @Sendable (JSONValue) -> Bool = { _ in true }
    ) async throws -> JSONValue? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            let found = inbox.withLockedValue { inbox -> JSONValue? in
                guard let index = inbox.firstIndex(where: { $0["type"]?.string == type && condition($0) }) else {
                    return nil
                }
                return inbox.remove(at: index)
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        let seen = messages.map { "\($0)".prefix(200) }
        Issue.record("no \(type) message within \(seconds) s; got \(seen)", sourceLocation: sourceLocation)
        return nil
    }

    /// Every message not yet taken.
    var messages: [JSONValue] { inbox.withLockedValue { $0 } }

    func close() async {
        try? await ws.close()
    }

    /// Waits (polling, so nothing is left waiting if it never happens) until the server has closed the connection.
    func closedByServer(within seconds: Double) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !ws.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return ws.isClosed
    }
}

extension JSONValue {
    /// A seat event of `show` with `status` naming `seat`.
    static func seatEvent(_ show: UUID, _ status: String, _ seat: UUID) -> @Sendable (JSONValue) -> Bool {
        { value in
            guard value["show_id"]?.string == show.uuidString, value["status"]?.string == status,
                case .array(let seats)? = value["seat_ids"]
            else { return false }
            return seats.contains(.string(seat.uuidString))
        }
    }
}

/// The app's page of notifications, nameable from files that import Fluent (whose `Page` would be ambiguous).
typealias NotificationPage = Page<NotificationResponse>
