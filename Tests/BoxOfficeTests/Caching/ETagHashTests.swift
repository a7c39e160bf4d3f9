import Foundation
import Testing

@testable import BoxOffice

/// The word-at-a-time ETag hash: stable for the same bytes, and different for any one changed byte, wherever it sits
/// (in a whole word or in the tail), and for a longer or shorter body.
@Suite("ETag hash")
struct ETagHashTests {
    @Test func theSameBodyGivesTheSameTagAndAnyOneChangedByteAnother() {
        let body = Data((0..<1_003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(ETag.quoted(body) == ETag.quoted(Data(body)))
        var tags: Set<String> = [ETag.quoted(body)]
        for index in [0, 7, 8, 500, 995, 996, 1_002] {
            var changed = body
            changed[index] ^= 0x01
            tags.insert(ETag.quoted(changed))
        }
        tags.insert(ETag.quoted(body.dropLast()))
        tags.insert(ETag.quoted(body + [0]))
        tags.insert(ETag.quoted(Data()))
        #expect(tags.count == 11)
    }

    /// A seat changing state in a seat map is a few bytes in the middle of a long body.
    @Test func swappedWordsAndStatesDiffer() {
        let held = Data(#"[{"id":"A1","status":"available"},{"id":"A2","status":"held"}]"#.utf8)
        let swapped = Data(#"[{"id":"A1","status":"held"},{"id":"A2","status":"available"}]"#.utf8)
        #expect(ETag.quoted(held) != ETag.quoted(swapped))
        #expect(ETag.quoted(held).hasPrefix("\"") && ETag.quoted(held).hasSuffix("\""))
    }
}
