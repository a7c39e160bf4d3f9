import Vapor

/// The stable name of an admin write, worked out from its route: `<entity>.<verb>`.
///
/// The entity comes from the route's first path segment (`/show-category-pricing/:id` → `show_price`); the verb
/// from the method (`POST` create, `PUT` replace, `PATCH` update, `DELETE` delete), or from the segment that
/// follows (`PUT /shows/:id/cancel` → `show.cancel`, `POST /payments/:id/refund` → `payment.refund`,
/// `POST /screens/:id/layout` → `screen.layout`). Readers and filters depend on these names: a renamed route keeps
/// its old name by an entry in `entities`.
struct AuditAction: Equatable, Sendable {
    /// Segment → entity type, for the admin routes there are; anything else is the segment singularised.
    static let entities: [String: String] = [
        "movies": "movie", "screens": "screen", "seats": "seat", "seat-categories": "seat_category",
        "shows": "show", "show-category-pricing": "show_price", "gst": "gst_rate", "discounts": "discount",
        "food-categories": "food_category", "food-items": "food_item", "payments": "payment",
        "seatlocks": "seat_lock", "feedback": "feedback", "users": "user", "bookings": "booking",
        "pricing-rules": "pricing_rules",
    ]

    var entityType: String
    var verb: String
    /// The collection segment (`movies`), where the resource's own `GET /<collection>/:id` would be.
    var collection: String
    /// Whether the route names one resource by `:id`.
    var hasID: Bool

    var name: String { "\(entityType).\(verb)" }

    init?(route: Route) {
        guard case .constant(let collection)? = route.path.first else { return nil }
        let hasID = route.path.count > 1 && route.path[1] == .parameter("id")
        let tail = route.path.dropFirst(hasID ? 2 : 1).compactMap { component -> String? in
            if case .constant(let value) = component { return value }
            return nil
        }.last
        self.collection = collection
        self.hasID = hasID
        entityType =
            Self.entities[collection]
            ?? (collection.hasSuffix("s") ? String(collection.dropLast()) : collection)
            .replacingOccurrences(of: "-", with: "_")
        if let tail {
            // A sub-resource's removal is told apart from setting it (`show.pricing_rules_delete`).
            verb = tail.replacingOccurrences(of: "-", with: "_") + (route.method == .DELETE ? "_delete" : "")
        } else {
            switch route.method {
            case .POST: verb = "create"
            case .PUT: verb = "replace"
            case .PATCH: verb = "update"
            case .DELETE: verb = "delete"
            default: verb = route.method.rawValue.lowercased()
            }
        }
    }

    /// A sharper name when before and after show what kind of change it was: an account's role or access.
    func refined(before: AuditJSON?, after: AuditJSON?) -> String {
        guard entityType == "user", verb == "update", let before, let after else { return name }
        if before["role"] != after["role"] { return "user.role_change" }
        if before["is_disabled"] != after["is_disabled"] {
            return after["is_disabled"] == .bool(true) ? "user.disable" : "user.enable"
        }
        return name
    }
}
