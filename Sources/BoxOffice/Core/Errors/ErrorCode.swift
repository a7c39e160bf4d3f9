/// Every machine-readable `code` the server sends: in problem details (`APIError`, any `DomainError`) and in the
/// live socket's `error` replies. The raw value is the wire string clients rely on, so it never changes; a new
/// failure gets a new case here, and the OpenAPI document lists them all (the `ErrorCode` schema).
///
/// Each case says the HTTP status it is sent with and what it means. A code sent with more than one status
/// names each.
public enum ErrorCode: String, CaseIterable, Codable, Sendable {
    // MARK: Requests in general

    /// 400: a request Vapor refused before any route ran (a bad URL or header), without a more specific code.
    case badRequest = "bad_request"
    /// 400: the body is not JSON, or a field has the wrong JSON type, or a multipart body cannot be read.
    case malformedBody = "malformed_body"
    /// 400: the `Host` header is not one this server answers to.
    case untrustedHost = "untrusted_host"
    /// 404: no such resource, or one the caller may not see (also the live socket's reply for an unknown show).
    case notFound = "not_found"
    /// 405: the path exists but not for this method.
    case methodNotAllowed = "method_not_allowed"
    /// 409: the request conflicts with existing data, without a more specific code.
    case conflict
    /// 413: the body is too large.
    case payloadTooLarge = "payload_too_large"
    /// 415: the body has a media type this route does not take.
    case unsupportedMediaType = "unsupported_media_type"
    /// 422: one or more fields are invalid; the `errors` member names each.
    case validationFailed = "validation_failed"
    /// 426: the route speaks WebSocket only.
    case upgradeRequired = "upgrade_required"
    /// 429 with `Retry-After`: too many requests (also the live socket's reply before it closes a flooding socket).
    case rateLimited = "rate_limited"
    /// Any other 4xx status without a code of its own.
    case otherClientError = "error"
    /// 500: the server failed; the details are in its log only.
    case internalError = "internal_error"
    /// 503 with `Retry-After`: a dependency (database, Redis, the payment gateway) is down or busy; nothing changed.
    case serviceUnavailable = "service_unavailable"
    /// 503 with `Retry-After`: the request ran past its deadline, usually because a dependency is slow.
    case requestTimeout = "request_timeout"

    // MARK: Idempotency-Key

    /// 409: a request with this key could not be recorded or found; retry it.
    case idempotencyConflict = "idempotency_conflict"
    /// 409: this key was used with another request body.
    case idempotencyKeyReused = "idempotency_key_reused"
    /// 409: the first request with this key is still running.
    case idempotencyInProgress = "idempotency_in_progress"

    // MARK: Accounts and tokens

    /// 401: the route needs a bearer access token and none was sent.
    case authenticationRequired = "authentication_required"
    /// 401: the token (or refresh token) is malformed, of the wrong kind, or for a session that does not exist.
    case invalidToken = "invalid_token"
    /// 401: the token has expired.
    case tokenExpired = "token_expired"
    /// 401: the email or password is not correct.
    case invalidCredentials = "invalid_credentials"
    /// 401: the session was ended (sign-out, password change, an admin); log in again.
    case sessionRevoked = "session_revoked"
    /// 401: a refresh token was used twice, so its session is revoked.
    case refreshTokenReused = "refresh_token_reused"
    /// 403 at login, 401 for a token of a disabled account.
    case accountDisabled = "account_disabled"
    /// 403: the caller's role may not use this route.
    case forbidden
    /// 403: the current password given to change it is not correct.
    case wrongPassword = "wrong_password"
    /// 409: an account with this email or phone already exists.
    case accountExists = "account_exists"
    /// 409: an admin tried to demote or disable themselves.
    case cannotChangeOwnAccess = "cannot_change_own_access"

    // MARK: Screens, seats and layouts

    /// 409: a screen with this name already exists.
    case screenNameTaken = "screen_name_taken"
    /// 409: the screen has shows, so it cannot be deleted.
    case screenHasShows = "screen_has_shows"
    /// 409: the screen already has seats and the request did not ask to replace them.
    case layoutExists = "layout_exists"
    /// 409: a show still to come on the screen has bookings, so its layout cannot be replaced.
    case layoutInUse = "layout_in_use"
    /// 409: the screen already has a seat category with this name.
    case categoryExists = "category_exists"
    /// 409: seats or show prices use the category, so it cannot be deleted.
    case categoryInUse = "category_in_use"
    /// 409: the screen already has a seat with this label or at this position.
    case seatExists = "seat_exists"
    /// 409: bookings refer to the seat, so it cannot be deleted.
    case seatInUse = "seat_in_use"

    // MARK: Movies and shows

    /// 409: the movie has shows, so it cannot be deleted.
    case movieHasShows = "movie_has_shows"
    /// 409: promo codes are scoped to the movie, so it cannot be deleted.
    case movieHasDiscounts = "movie_has_discounts"
    /// 409: a show cannot be scheduled for an inactive movie.
    case movieInactive = "movie_inactive"
    /// 409: a show cannot be scheduled on an unavailable screen.
    case screenUnavailable = "screen_unavailable"
    /// 409: the show overlaps another on the same screen.
    case showOverlap = "show_overlap"
    /// 409: the show is cancelled and cannot be changed.
    case showCancelled = "show_cancelled"
    /// 409: the show has bookings, so it cannot be changed or deleted.
    case showHasBookings = "show_has_bookings"
    /// 409: the show already has a price for this seat category.
    case priceExists = "price_exists"

    // MARK: Holds and bookings

    /// 409: seats are held or booked by someone else (`seat_ids` names them), or were taken while holding them.
    case seatsUnavailable = "seats_unavailable"
    /// 409: the show is cancelled or has started.
    case showNotOnSale = "show_not_on_sale"
    /// 409: no block of that many adjacent seats is free.
    case noBlockAvailable = "no_block_available"
    /// 409: the hold cannot be extended further.
    case holdExtensionLimit = "hold_extension_limit"
    /// 409: the seat hold has expired or was released.
    case holdExpired = "hold_expired"
    /// 409: a seat of the booking has no price for the show.
    case pricingUnavailable = "pricing_unavailable"
    /// 409: a food item sold out while booking.
    case foodOutOfStock = "food_out_of_stock"
    /// 409: the booking cannot move from its status to the one asked for.
    case invalidTransition = "invalid_transition"
    /// 403: the show sells through a waiting room and this account has no valid admission (`admission`) for it.
    case notAdmitted = "not_admitted"
    /// 409: the show's queue is not open yet.
    case queueNotOpen = "queue_not_open"
    /// 409: only a confirmed booking can be exchanged.
    case notExchangeable = "not_exchangeable"
    /// 409: exchanges close `EXCHANGE_CUTOFF_MINUTES` before the show.
    case exchangeClosed = "exchange_closed"
    /// 409: the booking was exchanged `EXCHANGE_MAX` times already.
    case exchangeLimit = "exchange_limit"
    /// 409: the swap could not be made (the booking or the new seats changed meanwhile).
    case exchangeRefused = "exchange_refused"
    /// 409: the ticket was replaced by an exchange; the booking's new ticket admits instead.
    case superseded

    // MARK: Payments, refunds and cancellation

    /// 409: only a pending booking can be paid.
    case bookingNotPayable = "booking_not_payable"
    /// 409: two requests opened a payment at once; retry.
    case paymentConflict = "payment_conflict"
    /// 409: a completed payment is part of the ledger and cannot be deleted.
    case paymentCompleted = "payment_completed"
    /// 409: only a completed payment can be refunded.
    case paymentNotCompleted = "payment_not_completed"
    /// 409: only a pending payment can be simulated.
    case paymentNotPending = "payment_not_pending"
    /// 409: the refund is more than what is left of the payment.
    case refundExceedsPayment = "refund_exceeds_payment"
    /// 409: the booking expired unpaid; there is nothing to cancel.
    case bookingExpired = "booking_expired"
    /// 409: the booking can no longer be cancelled.
    case tooLateToCancel = "too_late_to_cancel"
    /// 502: the payment gateway refused the request.
    case gatewayRefused = "gateway_refused"
    /// 401: a webhook's signature is missing or does not match, or no gateway is configured to check it.
    /// (Once also spelled `signature_invalid`.)
    case invalidSignature = "invalid_signature"
    /// 400: a webhook came without its signature header.
    case signatureMissing = "signature_missing"
    /// 400: a webhook's signature header is not `t=<unix>,v1=<hex>`.
    case signatureMalformed = "signature_malformed"
    /// 400: a webhook's timestamp is more than 5 minutes away from now.
    case signatureExpired = "signature_expired"

    // MARK: Promo codes

    /// 422: there is no such promo code.
    case invalidPromoCode = "invalid_code"
    /// 409: the promo code is not active.
    case promoInactive = "inactive"
    /// 409: the promo code is not valid yet.
    case promoNotStarted = "not_started"
    /// 409: the promo code has expired.
    case promoExpired = "expired"
    /// 409: the promo code does not apply to this movie or show.
    case promoNotApplicable = "not_applicable"
    /// 409: the subtotal is below the promo code's minimum.
    case belowMinSubtotal = "below_min_subtotal"
    /// 409: the promo code has been used up, in total or by this customer.
    case usageExhausted = "usage_exhausted"
    /// 409: the promo code was redeemed, so it cannot be deleted.
    case discountInUse = "discount_in_use"
    /// 409: a promo code with this text already exists.
    case promoCodeExists = "promo_code_exists"

    // MARK: Food, tax and feedback

    /// 409: a food category with this name already exists.
    case foodCategoryExists = "food_category_exists"
    /// 409: the food category still has items.
    case foodCategoryHasItems = "food_category_has_items"
    /// 409: the GST slab's price range overlaps another of its category.
    case gstSlabOverlap = "gst_slab_overlap"
    /// 409: only a confirmed booking can get feedback or a ticket (a ticket's refusal names the booking's
    /// `booking_status`).
    case bookingNotConfirmed = "booking_not_confirmed"
    /// 409: feedback opens when the show starts.
    case showNotStarted = "show_not_started"
    /// 409: the booking already has feedback.
    case feedbackExists = "feedback_exists"

    // MARK: Tickets and check-in

    /// 422: the ticket code is not one this cinema signed: malformed, tampered with, too long, or signed by a key it
    /// does not know.
    case invalidTicket = "invalid_ticket"
    /// 409: the ticket was already admitted (`admitted_at` says when first).
    case alreadyAdmitted = "already_admitted"
    /// 409: the ticket's booking is not confirmed (cancelled, expired, refunded or unpaid; `booking_status` says which).
    case notAdmissible = "not_admissible"
    /// 409: the admission window (from 2 hours before the start until the show ends) is not open.
    case outsideWindow = "outside_window"

    // MARK: Backups and restores

    /// 422: the archive is not one the server can read (not a ZIP, a file missing, a checksum wrong).
    case invalidBackup = "invalid_backup"
    /// 422: the archive was written by another format version or for another schema.
    case incompatibleBackup = "incompatible_backup"
    /// 422: the database refused a row of the archive; nothing was changed.
    case restoreFailed = "restore_failed"
    /// 422: the archive is not signed.
    case backupUnsigned = "backup_unsigned"
    /// 422: the archive's signature does not verify with this server's key.
    case backupSignatureInvalid = "backup_signature_invalid"
    /// 422: an entry, or the whole archive, unpacks past the configured limits.
    case backupTooLarge = "backup_too_large"
    /// 409: a restore is already running.
    case restoreRunning = "restore_running"
    /// 502: the backup destination could not be reached or refused the upload.
    case backupDestinationFailed = "backup_destination_failed"
    /// 503 with `Retry-After`: a restore is running, so writes are refused; reads still work.
    case maintenance

    // MARK: Live updates (WebSocket)

    /// 429: the caller has too many sockets open.
    case tooManySockets = "too_many_sockets"
    /// Live socket reply: the message is not JSON the server understands.
    case badMessage = "bad_message"
    /// Live socket reply: the socket follows as many shows as it may.
    case tooManySubscriptions = "too_many_subscriptions"
}
