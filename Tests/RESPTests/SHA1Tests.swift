import Testing

@testable import RESP

@Suite struct SHA1Tests {
    /// FIPS 180 examples, plus lengths around the 55/56/64-byte padding boundaries.
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
        (String(repeating: "a", count: 55), "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
        (String(repeating: "a", count: 64), "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(SHA1.hexDigest(input.utf8) == digest)
    }

    @Test func scriptCarriesTheDigestOfItsSource() {
        let script = RedisScript("return 1")
        #expect(script.sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
    }
}
