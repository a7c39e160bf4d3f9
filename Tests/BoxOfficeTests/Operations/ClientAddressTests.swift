import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Client address and TRUSTED_PROXIES")
struct ClientAddressTests {
    /// A literal known to be an address.
    private func ip(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test func cidrBlocksMatchTheirAddressesOnly() throws {
        let ten = try #require(IPNetwork("10.0.0.0/8"))
        #expect(ten.contains(ip("10.255.0.1")))
        #expect(!ten.contains(ip("11.0.0.1")))
        // An IPv4 client on a dual-stack socket is reported as an IPv4-mapped IPv6 address.
        #expect(ten.contains(ip("::ffff:10.1.2.3")))
        let private12 = try #require(IPNetwork("172.16.0.0/12"))
        #expect(private12.contains(ip("172.31.255.255")))
        #expect(!private12.contains(ip("172.32.0.0")))
        let one = try #require(IPNetwork("192.0.2.7"))
        #expect(one.prefixLength == 32)
        #expect(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")))
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains(ip("2001:db8:ffff::1")))
        #expect(!v6.contains(ip("2001:db9::1")))
        #expect(!v6.contains(ip("10.0.0.1")))
        let allV4 = try #require(IPNetwork("0.0.0.0/0"))
        #expect(allV4.contains(ip("203.0.113.9")) && !allV4.contains(ip("::1")))
        #expect(try #require(IPNetwork("::1")).contains(ip("0:0:0:0:0:0:0:1")))
    }

    @Test(arguments: [
        "", "abc", "10.0.0/8", "10.0.0.0/33", "10.0.0.0/", "/8", "10.0.0.0/8/8", "2001:db8::/129", "1.2.3.4/-1",
        "1.2.3.4/+8", "999.1.1.1", "1.2.3.4 ", "01.2.3.4x", "fe80::1%eth0", String(repeating: "1", count: 5000),
        "1.2.3.4/٣",
    ])
    func malformedNetworksAreRejected(_ text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test func addressesAreWrittenCanonically() throws {
        #expect(try #require(IPAddress("2001:DB8:0::0:1")).description == "2001:db8::1")
        #expect(try #require(IPAddress("::ffff:192.0.2.1")).description == "192.0.2.1")
    }

    private let proxies = [IPNetwork("10.0.0.0/8")!, IPNetwork("2001:db8:1::/48")!]

    @Test func withoutTrustedProxiesTheHeaderIsIgnored() {
        let address = ClientAddress.resolve(peer: "198.51.100.9", forwardedFor: ["203.0.113.7"], trusted: [])
        #expect(address == "198.51.100.9")
        // A peer that is not one of ours is believed over any header it sends.
        #expect(
            ClientAddress.resolve(peer: "198.51.100.9", forwardedFor: ["203.0.113.7"], trusted: proxies)
                == "198.51.100.9")
    }

    @Test func behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        func resolve(_ peer: String, _ header: [String]) -> String {
            ClientAddress.resolve(peer: peer, forwardedFor: header, trusted: proxies)
        }
        #expect(resolve("10.0.0.1", ["203.0.113.7"]) == "203.0.113.7")
        // The client wrote the left entry; our proxy appended what it saw.
        #expect(resolve("10.0.0.1", ["1.1.1.1, 203.0.113.7"]) == "203.0.113.7")
        #expect(resolve("10.0.0.1", ["1.1.1.1, 203.0.113.7, 10.0.0.2"]) == "203.0.113.7")
        #expect(resolve("10.0.0.1", ["1.1.1.1", "203.0.113.7"]) == "203.0.113.7")
        #expect(resolve("::ffff:10.0.0.1", ["203.0.113.7"]) == "203.0.113.7")
        #expect(resolve("2001:db8:1::5", ["[2001:DB8:2::9]:443"]) == "2001:db8:2::9")
        #expect(resolve("10.0.0.1", ["198.51.100.9:4711"]) == "198.51.100.9")
        // Nothing forwarded, or only our own proxies: the nearest real address.
        #expect(resolve("10.0.0.1", []) == "10.0.0.1")
        #expect(resolve("10.0.0.1", [""]) == "10.0.0.1")
        #expect(resolve("10.0.0.1", ["10.0.0.3, 10.0.0.2"]) == "10.0.0.3")
    }

    @Test func aMalformedHopEndsTheWalkAtTheLastRealAddress() {
        func resolve(_ header: String) -> String {
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [header], trusted: proxies)
        }
        #expect(resolve("203.0.113.7, garbage") == "10.0.0.1")
        #expect(resolve("203.0.113.7, unknown, 10.0.0.2") == "10.0.0.2")
        #expect(resolve("[2001:db8::1") == "10.0.0.1")
        #expect(resolve(String(repeating: ",", count: 10_000)) == "10.0.0.1")
        #expect(resolve("\u{0}, 😀, 1.2.3.4:5:6, :::::") == "10.0.0.1")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["203.0.113.7"], trusted: proxies) == "unknown")
    }

    /// A spoofer who writes someone's address in `X-Forwarded-For` is still counted under their own: the victim,
    /// from their address, logs in.
    @Test func aSpoofedHeaderDoesNotLockOutSomeoneElse() async throws {
        try await withTestApp(configure: { $0.rateLimits[.login] = RateLimit(3, per: 60) }) { t in
            let victim = try await t.customer()
            for _ in 0..<3 {
                let attempt = try await t.failedLogin(victim.email, from: "198.51.100.9", forwardedFor: "203.0.113.7")
                #expect(attempt.status == .unauthorized)
            }
            let blocked = try await t.failedLogin(victim.email, from: "198.51.100.9", forwardedFor: "192.0.2.44")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.problem?.code == "rate_limited" && blocked.retryAfter != nil)

            let login = try await t.request(
                .POST, "/users/login", from: "203.0.113.7", json: ["email": victim.email, "password": "correct-horse"])
            #expect(login.status == .ok)
        }
    }

    @Test func behindATrustedProxyEachClientIsCountedUnderItsOwnAddress() async throws {
        try await withTestApp(configure: {
            $0.rateLimits[.login] = RateLimit(3, per: 60)
            $0.trustedProxies = [IPNetwork("10.0.0.0/8")!]
        }) { t in
            let victim = try await t.customer()
            // The spoofer sends "X-Forwarded-For: 203.0.113.7"; our proxy at 10.0.0.1 appends their real address.
            for _ in 0..<3 {
                let attempt = try await t.failedLogin(
                    victim.email, from: "10.0.0.1", forwardedFor: "203.0.113.7, 198.51.100.9")
                #expect(attempt.status == .unauthorized)
            }
            #expect(
                try await t.failedLogin(victim.email, from: "10.0.0.1", forwardedFor: "203.0.113.7, 198.51.100.9")
                    .status == .tooManyRequests)
            // The same spoofer straight to the server, not through the proxy: the same address, the same bucket.
            #expect(
                try await t.failedLogin(victim.email, from: "198.51.100.9", forwardedFor: "203.0.113.7").status
                    == .tooManyRequests)

            let login = try await t.request(
                .POST, "/users/login", from: "10.0.0.1", json: ["email": victim.email, "password": "correct-horse"],
                forwardedFor: "203.0.113.7")
            #expect(login.status == .ok)
        }
    }
}
