import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import BoxOffice

/// Every log line of the test process from the moment it is first used (a process may bootstrap logging once):
/// lines at debug and above are kept (the last 50,000), and what `LOG_LEVEL` asks for still goes to standard error.
final class LogCapture: Sendable {
    static let shared = LogCapture()
    private let lines = NIOLockedValueBox<[String]>([])

    private init() {
        let errorLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
        LoggingSystem.bootstrap { [lines] label in
            let capture = JSONLogHandler(label: label, level: .error) { line in
                lines.withLockedValue {
                    $0.append(line)
                    if $0.count > 50_000 { $0.removeFirst($0.count - 50_000) }
                }
            }
            var stderr = StreamLogHandler.standardError(label: label)
            stderr.logLevel = errorLevel ?? .error
            return TeeLogHandler(capture: capture, stderr: stderr)
        }
    }

    /// The level a logger is set to is the capture's; standard error keeps `LOG_LEVEL`, so a test that turns its
    /// logger up to read the lines does not flood the output.
    private struct TeeLogHandler: LogHandler {
        var capture: JSONLogHandler
        var stderr: StreamLogHandler

        var logLevel: Logger.Level {
            get { capture.logLevel }
            set { capture.logLevel = newValue }
        }

        var metadata: Logger.Metadata {
            get { capture.metadata }
            set {
                capture.metadata = newValue
                stderr.metadata = newValue
            }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { capture[metadataKey: key] }
            set {
                capture[metadataKey: key] = newValue
                stderr[metadataKey: key] = newValue
            }
        }

        func log(event: LogEvent) {
            capture.log(event: event)
            if event.level >= stderr.logLevel { stderr.log(event: event) }
        }
    }

    var all: [String] { lines.withLockedValue { $0 } }
}

@Suite("Logs")
struct LogSafetyTests {
    /// A signup, logins (right and wrong) and a signed webhook: their request lines are there (route pattern, status,
    /// request id), and no password, token, signature or whole email is anywhere in the logs.
    @Test func noSecretReachesTheLogs() async throws {
        let capture = LogCapture.shared
        try await withTestApp { t in
            t.app.logger.logLevel = .debug
            let f = try await PaymentFixture.make(t, events: InMemoryEventBus())
            let email = "secret-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let password = "pw-\(UUID().uuidString)"
            let signup = try await t.request(
                .POST, "/users/signup", json: TestApp.signupBody(email, password: password))
            #expect(signup.status == .created)
            let wrong = try await t.request(
                .POST, "/users/login", json: ["email": email, "password": password + "!"])
            #expect(wrong.status == .unauthorized)
            let account = try await t.login(email, password)
            let booking = try await f.book(["C3"], account)
            let payment = try await f.payment(try await f.startPayment(booking, account).paymentId)
            let body = try JSONEncoder.api.encode(f.event("payment.succeeded", payment))
            let signature = WebhookSignature(secret: t.config.paymentWebhookSecret).sign(body, at: t.clock.now())
            let webhook = try await t.request(
                .POST, "/payments/webhook", headers: [WebhookSignature.header: signature],
                rawBody: String(decoding: body, as: UTF8.self))
            #expect(webhook.status == .ok, "\(webhook.body.string)")

            let lines = capture.all
            let loginID = try #require(wrong.headers.first(name: .xRequestId))
            let loginLine = lines.first { $0.contains(loginID) && $0.contains(#""msg":"request""#) }
            #expect(loginLine?.contains(#""route":"/users/login""#) == true, "\(loginLine ?? "no line")")
            #expect(loginLine?.contains(#""status":"401""#) == true)
            let webhookID = try #require(webhook.headers.first(name: .xRequestId))
            #expect(lines.contains { $0.contains(webhookID) && $0.contains(#""route":"/payments/webhook""#) })
            for secret in [password, account.accessToken, account.refreshToken, signature, email, "Bearer "] {
                let leaks = lines.filter { $0.contains(secret) }.map { $0.prefix(300) }
                #expect(leaks.isEmpty, "\(secret.prefix(12))… is in the logs: \(leaks)")
            }
        }
    }

    @Test func jsonLinesCarryLevelMessageAndMetadata() throws {
        let out = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "test") {
            JSONLogHandler(label: $0) { line in out.withLockedValue { $0.append(line) } }
        }
        logger[metadataKey: "request-id"] = "abc-1"
        logger.info("request", metadata: ["status": .stringConvertible(200), "tags": ["a", "b"]])
        logger.debug("below the level")
        let lines = out.withLockedValue { $0 }
        #expect(lines.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "request" && object["level"] as? String == "info")
        #expect(object["request-id"] as? String == "abc-1" && object["status"] as? String == "200")
        #expect(object["tags"] as? [String] == ["a", "b"] && object["ts"] != nil)
        #expect("asha@example.com".maskedEmail == "a***@example.com" && "@x".maskedEmail == "***")
    }

    /// The line is written by hand (not `JSONSerialization`): every awkward string round-trips, keys come sorted, and
    /// nested arrays and dictionaries stay JSON.
    @Test func handWrittenLinesAreValidJSONForAnyText() throws {
        let out = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test") {
            JSONLogHandler(label: $0) { line in out.withLockedValue { $0.append(line) } }
        }
        let awkward =
            "quote \" backslash \\ slash / newline \n tab \t cr \r bell \u{7} nul \u{0} esc \u{1B} "
            + "₹ 🎬 \u{2028} Ω"
        logger.warning(
            "\(awkward)",
            metadata: [
                "text": .string(awkward), "zeta": "last", "alpha": "first",
                "nested": ["list": [.string(awkward), "x"], "map": ["k\"ey": "v"]],
            ])
        let line = try #require(out.withLockedValue { $0.first })
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == awkward && object["text"] as? String == awkward)
        let nested = try #require(object["nested"] as? [String: Any])
        #expect(nested["list"] as? [String] == [awkward, "x"])
        #expect((nested["map"] as? [String: String]) == ["k\"ey": "v"])
        let keys = ["alpha", "level", "logger", "msg", "nested", "text", "ts", "zeta"]
        let positions = keys.map { line.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted(), "keys not sorted: \(line)")
    }

    /// Fluent's debug lines carry every query's values: the JSON lines drop secrets and mask emails in them.
    @Test func secretsAndEmailsAreRedactedWhoeverLogsThem() throws {
        let out = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "test") {
            JSONLogHandler(label: $0) { line in out.withLockedValue { $0.append(line) } }
        }
        logger.logLevel = .debug
        logger.debug(
            "Running query",
            metadata: [
                "input": [["email": "asha@example.com", "password_hash": "$2b$12$abcdef"]],
                "filters": [
                    ["field": "users.password_hash", "value": "$2b$12$zzz"],
                    ["field": "users.email", "value": "ravi@example.com"],
                ],
                "note": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
            ])
        let line = try #require(out.withLockedValue { $0.first })
        for secret in ["asha@example.com", "ravi@example.com", "$2b$12$", "eyJhbGci"] {
            #expect(!line.contains(secret), "\(secret) in \(line)")
        }
        #expect(line.contains("a***@example.com") && line.contains("r***@example.com"))
    }
}
