import Crypto
import Foundation

/// The `admission` a customer admitted from a waiting room shows when holding seats: `v1.<show>.<account>.<expires>`
/// and a hex HMAC-SHA256 of those keyed with `JWT_SECRET` (under its own label). It is for one account and one show,
/// and lapses with the admission; nothing is stored for it, so every instance checks it alike.
struct AdmissionToken: Sendable {
    private let secret: String

    init(secret: String) {
        self.secret = "boxoffice-admission|" + secret
    }

    func issue(show: UUID, user: UUID, expires: Date) -> String {
        let body = "v1.\(show.uuidString).\(user.uuidString).\(Int(expires.timeIntervalSince1970))"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return body + "." + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `token` admits `user` to hold seats of `show` at `now` (compared in constant time).
    func admits(_ token: String?, show: UUID, user: UUID, at now: Date) -> Bool {
        guard let token, token.utf8.count <= 256 else { return false }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "v1", parts[1] == show.uuidString, parts[2] == user.uuidString,
            let expires = Int(parts[3]), now.timeIntervalSince1970 < TimeInterval(expires)
        else { return false }
        return RazorpaySignature.isValid(
            String(parts[4]), for: Data(parts[0..<4].joined(separator: ".").utf8), secret: secret)
    }
}
