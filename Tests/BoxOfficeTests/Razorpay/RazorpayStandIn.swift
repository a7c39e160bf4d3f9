import Crypto
import Foundation
import NIOConcurrencyHelpers
import Vapor

@testable import BoxOffice

/// A local server that speaks the part of Razorpay's API BoxOffice uses: `POST /v1/orders`,
/// `GET /v1/orders/{id}/payments`, `GET /v1/payments/{id}/refunds`, `POST /v1/payments/{id}/refund`, with Basic
/// auth and Razorpay's error format. Tests pay an order (`capture`) and make the next calls fail (`failNext`).
final class RazorpayStandIn: Sendable {
    struct State {
        var orders: [String: (amount: Int, currency: String, receipt: String)] = [:]
        var payments: [String: [(id: String, amount: Int, currency: String, status: String)]] = [:]
        var refunds: [String: [(id: String, amount: Int, receipt: String?)]] = [:]
        var refundStatus: [String: String] = [:]
        /// What a new refund's status is: `processed` at once, or `pending` until a webhook says otherwise.
        var newRefundStatus = "processed"
        var failNext = 0
        var calls: [String] = []
    }

    let app: Application
    let port: Int
    let keyID = "rzp_test_standin"
    let keySecret = "standin_secret"
    let state: NIOLockedValueBox<State>

    private init(app: Application, port: Int, state: NIOLockedValueBox<State>) {
        self.app = app
        self.port = port
        self.state = state
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The customer pays the order: a captured payment appears on it.
    func capture(_ orderID: String) -> String {
        state.withLockedValue { state in
            let order = state.orders[orderID]!
            let id = "pay_\(UUID().uuidString.prefix(14))"
            state.payments[orderID, default: []].append((id, order.amount, order.currency, "captured"))
            return id
        }
    }

    func failNext(_ count: Int) { state.withLockedValue { $0.failNext = count } }

    static func start() async throws -> RazorpayStandIn {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        let state = NIOLockedValueBox(State())
        let expected = "Basic " + Data("rzp_test_standin:standin_secret".utf8).base64EncodedString()
        @Sendable func reply(_ status: HTTPStatus, _ object: Any) throws -> Response {
            let response = Response(
                status: status, body: .init(data: try JSONSerialization.data(withJSONObject: object)))
            response.headers.contentType = .json
            return response
        }
        @Sendable func guarded(_ req: Request, _ body: () throws -> Response) throws -> Response {
            let failing = state.withLockedValue { state -> Bool in
                state.calls.append("\(req.method) \(req.url.path)")
                guard state.failNext > 0 else { return false }
                state.failNext -= 1
                return true
            }
            if failing {
                return try reply(.serviceUnavailable, ["error": ["code": "SERVER_ERROR", "description": "Try later"]])
            }
            guard req.headers.first(name: .authorization) == expected else {
                return try reply(
                    .unauthorized,
                    ["error": ["code": "BAD_REQUEST_ERROR", "description": "Authentication failed"]])
            }
            return try body()
        }
        app.post("v1", "orders") { req in
            try guarded(req) {
                struct Order: Decodable {
                    var amount: Int
                    var currency: String
                    var receipt: String
                }
                let order = try JSONDecoder().decode(Order.self, from: Data(buffer: req.body.data ?? ByteBuffer()))
                guard order.amount >= 100 else {
                    return try reply(
                        .badRequest,
                        ["error": ["code": "BAD_REQUEST_ERROR", "description": "The amount must be atleast INR 1.00"]])
                }
                let id = "order_\(UUID().uuidString.prefix(14))"
                state.withLockedValue { $0.orders[id] = (order.amount, order.currency, order.receipt) }
                return try reply(
                    .ok,
                    [
                        "id": id, "entity": "order", "amount": order.amount, "currency": order.currency,
                        "receipt": order.receipt, "status": "created",
                    ])
            }
        }
        app.get("v1", "orders", ":id", "payments") { req in
            try guarded(req) {
                let items = state.withLockedValue { $0.payments[req.parameters.get("id")!] ?? [] }.map {
                    [
                        "id": $0.id, "order_id": req.parameters.get("id")!, "amount": $0.amount,
                        "currency": $0.currency,
                        "status": $0.status,
                    ] as [String: Any]
                }
                return try reply(.ok, ["entity": "collection", "count": items.count, "items": items])
            }
        }
        app.get("v1", "payments", ":id", "refunds") { req in
            try guarded(req) {
                let items = state.withLockedValue { state in
                    (state.refunds[req.parameters.get("id")!] ?? []).map {
                        [
                            "id": $0.id, "amount": $0.amount, "receipt": $0.receipt as Any,
                            "status": state.refundStatus[$0.id] ?? "processed",
                        ] as [String: Any]
                    }
                }
                return try reply(.ok, ["entity": "collection", "count": items.count, "items": items])
            }
        }
        app.post("v1", "payments", ":id", "refund") { req in
            try guarded(req) {
                struct Refund: Decodable {
                    var amount: Int
                    var receipt: String?
                }
                let refund = try JSONDecoder().decode(Refund.self, from: Data(buffer: req.body.data ?? ByteBuffer()))
                let id = "rfnd_\(UUID().uuidString.prefix(14))"
                let status = state.withLockedValue {
                    $0.refunds[req.parameters.get("id")!, default: []].append((id, refund.amount, refund.receipt))
                    $0.refundStatus[id] = $0.newRefundStatus
                    return $0.newRefundStatus
                }
                return try reply(
                    .ok,
                    [
                        "id": id, "entity": "refund", "amount": refund.amount, "receipt": refund.receipt as Any,
                        "status": status,
                    ])
            }
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError) }
        return RazorpayStandIn(app: app, port: port, state: state)
    }

    func gateway() -> RazorpayGateway {
        var gateway = RazorpayGateway(
            keyID: keyID, keySecret: keySecret, webhookSecret: Self.webhookSecret, apiURL: url,
            client: HTTPClient.shared)
        gateway.backoff = .milliseconds(10)
        return gateway
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}

extension RazorpayStandIn {
    static let webhookSecret = "whsec_standin"

    /// A webhook as Razorpay sends it: the JSON body and its `X-Razorpay-Signature`.
    func webhook(_ event: String, orderID: String, paymentID: String, amount: Int, status: String, error: String? = nil)
        -> (body: String, signature: String)
    {
        var payment: [String: Any] = [
            "id": paymentID, "entity": "payment", "order_id": orderID, "amount": amount, "currency": "INR",
            "status": status,
        ]
        if let error { payment["error_description"] = error }
        return Self.signed(["entity": "event", "event": event, "payload": ["payment": ["entity": payment]]])
    }

    func refundWebhook(_ event: String, refundID: String, paymentID: String, amount: Int) -> (
        body: String, signature: String
    ) {
        Self.signed([
            "entity": "event", "event": event,
            "payload": [
                "refund": ["entity": ["id": refundID, "entity": "refund", "payment_id": paymentID, "amount": amount]]
            ],
        ])
    }

    static func signed(_ object: [String: Any]) -> (body: String, signature: String) {
        let body = try! JSONSerialization.data(withJSONObject: object)
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(webhookSecret.utf8)))
        return (String(decoding: body, as: UTF8.self), mac.map { String(format: "%02x", $0) }.joined())
    }

    /// Checkout's `razorpay_signature` for a paid order.
    func checkoutSignature(orderID: String, paymentID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(orderID)|\(paymentID)".utf8), using: SymmetricKey(data: Data(keySecret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    var keys: AppConfig.RazorpayKeys {
        .init(keyID: keyID, keySecret: keySecret, webhookSecret: Self.webhookSecret, apiURL: url)
    }
}
