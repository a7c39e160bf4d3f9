import Fluent
import Vapor

/// `/payments`: pay a pending booking, the gateway's webhook, refunds and reads.
struct PaymentController: RouteCollection {
    let context: RouteContext
    let payments: PaymentService
    let idempotency: Idempotency
    let clock: any AppClock

    func boot(routes: any RoutesBuilder) throws {
        let (open, user, admin) = context.routes(routes, "payments", tag: "Payments")
        user.on(
            .POST, summary: "Start paying a pending booking (honours Idempotency-Key)",
            body: .of(CreatePaymentRequest.self),
            status: .created, response: .of(PaymentResponse.self), errors: [.conflict, .notFound, .tooManyRequests],
            use: create
        ).inLine(.finishing)
        open.on(
            .POST, "webhook",
            summary: "Gateway events, signed by the configured gateway only: the simulator's BoxOffice-Signature "
                + "t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">, or Razorpay's X-Razorpay-Signature",
            body: .of(GatewayEvent.self), response: .of(WebhookAck.self), errors: [.unauthorized, .tooManyRequests],
            use: webhook
        ).inLine(.finishing)
        // Only when the simulator is the gateway: elsewhere (production, unless configured) the route does not exist.
        if payments.gateway.checkoutSteps.contains(.simulate) {
            user.on(
                .POST, ":id", "simulate", summary: "Simulator only: complete or fail a payment as its webhook would",
                body: .of(SimulatePaymentRequest.self), response: .of(PaymentResponse.self), errors: [.conflict],
                use: simulate
            ).inLine(.finishing)
        }
        // Only with Razorpay: Checkout's signed answer, so the customer sees the outcome before the webhook.
        if payments.gateway.checkoutSteps.contains(.confirm) {
            user.on(
                .POST, ":id", "confirm",
                summary: "Razorpay only: confirm a payment with Checkout's signature (order_id|payment_id)",
                body: .of(ConfirmPaymentRequest.self), response: .of(PaymentResponse.self),
                errors: [.unprocessableEntity], use: confirm
            ).inLine(.finishing)
        }
        user.on(
            .GET, summary: "Your payments (admins: everyone's)", response: .page(of: PaymentResponse.self),
            query: APIDoc.QueryParameter.paging + PaymentListQuery.parameters, use: index)
        user.on(.GET, ":id", summary: "One payment with its refunds", response: .of(PaymentResponse.self), use: show)
        admin.on(
            .POST, ":id", "refund", summary: "Refund all or part of a completed payment (honours Idempotency-Key)",
            body: .of(RefundRequest.self),
            status: .created, response: .of(PaymentResponse.self), errors: [.conflict], use: refund)
        admin.on(
            .DELETE, ":id", summary: "Delete a payment that never completed", status: .noContent, errors: [.conflict],
            use: delete)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let caller = try req.currentUser
        try await context.throttle.check(.payments, caller.id)
        return try await idempotency.run(req, scope: "POST /payments", userID: caller.id) {
            let body = try req.content.decode(CreatePaymentRequest.self)
            let started = try await payments.start(
                bookingID: body.bookingId, method: body.method, for: caller, on: req.db)
            let response = try await PaymentResponse(started.payment, checkout: started.checkout).encodeResponse(
                for: req)
            response.status = started.created ? .created : .ok
            return response
        }
    }

    @Sendable func webhook(req: Request) async throws -> WebhookAck {
        // Before the signature check: a flood of forged events costs a counter, not an HMAC each.
        try await context.throttle.check(.webhooks, req.clientAddress)
        let body = Data(buffer: req.body.data ?? ByteBuffer())
        // Only the configured gateway's own signature is believed: with Razorpay, a BoxOffice-Signature is nothing.
        let webhook = try payments.gateway.verifiedWebhook(headers: req.headers, body: body, now: clock.now())
        return try await payments.apply(webhook, logger: req.logger, on: req.db)
    }

    /// Builds the event the simulator gateway would send and applies it through the same handler the webhook
    /// route uses (no HTTP loop back into the app, so it works behind `TRUSTED_HOSTS` too).
    @Sendable func simulate(req: Request) async throws -> PaymentResponse {
        let caller = try req.currentUser
        let payment = try await payments.visiblePayment(try req.requireID("id", "Payment"), to: caller, on: req.db)
        let outcome = try req.content.decode(SimulatePaymentRequest.self).outcome
        try await payments.simulate(payment, succeeded: outcome == .succeeded, on: req.db)
        return try await response(
            try await payments.visiblePayment(try payment.requireID(), to: caller, on: req.db), on: req.db)
    }

    @Sendable func confirm(req: Request) async throws -> PaymentResponse {
        let caller = try req.currentUser
        let payment = try await payments.visiblePayment(try req.requireID("id", "Payment"), to: caller, on: req.db)
        let body = try req.content.decode(ConfirmPaymentRequest.self)
        try await payments.confirmCheckout(
            payment,
            proof: CheckoutProof(
                orderID: body.razorpayOrderId, paymentID: body.razorpayPaymentId, signature: body.razorpaySignature),
            on: req.db)
        return try await response(
            try await payments.visiblePayment(try payment.requireID(), to: caller, on: req.db), on: req.db)
    }

    @Sendable func index(req: Request) async throws -> Page<PaymentResponse> {
        let caller = try req.currentUser
        let query = Payment.query(on: req.db).sort(\.$createdAt, .descending).sort(\.$id)
        if !caller.isAdmin { query.filter(\.$user.$id == caller.id) }
        let filters = try req.query(PaymentListQuery.self)
        if let status = filters.status { query.filter(\.$status == status) }
        if let bookingID = filters.bookingID { query.filter(\.$booking.$id == bookingID) }
        return try await query.page(try PageRequest(from: req)) { try PaymentResponse($0) }
    }

    @Sendable func show(req: Request) async throws -> PaymentResponse {
        try await response(
            try await payments.visiblePayment(try req.requireID("id", "Payment"), to: try req.currentUser, on: req.db),
            on: req.db)
    }

    @Sendable func refund(req: Request) async throws -> Response {
        let id = try req.requireID("id", "Payment")
        let caller = try req.currentUser
        // A refund retried after a timeout must not refund twice: the same key gets the first answer again.
        return try await idempotency.run(req, scope: "POST /payments/\(id)/refund", userID: caller.id) {
            let body = try req.content.decode(RefundRequest.self)
            try await payments.refund(
                id, amount: body.amountMinor, reason: body.reason, actor: .admin, actorID: caller.id, on: req.db)
            return try await Created(
                try await response(try await payments.visiblePayment(id, to: caller, on: req.db), on: req.db)
            ).encodeResponse(for: req)
        }
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await payments.delete(try req.requireID("id", "Payment"), on: req.db)
        return .noContent
    }

    private func response(_ payment: Payment, on db: any Database) async throws -> PaymentResponse {
        try PaymentResponse(
            payment,
            refunds: try await Refund.query(on: db).filter(\.$payment.$id == payment.requireID())
                .sort(\.$createdAt).all())
    }
}
