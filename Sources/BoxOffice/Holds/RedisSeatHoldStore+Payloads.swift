import Foundation
import NIOConcurrencyHelpers

extension RedisSeatHoldStore {
    /// Decoded hold payloads by their exact text. A seat map or hold reads every live hold of the show, and under an
    /// on-sale rush that is hundreds of payloads a request, each decoded again though unchanged (the rush profile:
    /// `SeatHold.init(from:)` at 22 % of the server's CPU, `live(_:)` at 29 %). A payload's text only changes when its
    /// hold is extended, and a changed text is a new entry, so an entry is never stale. Bounded: emptied when full.
    final class Payloads: Sendable {
        static let capacity = 20_000
        private let decoded = NIOLockedValueBox<[String: SeatHold]>([:])

        /// The hold of each text, nil for one that is not a hold payload; one lock for the lookups, one for the new.
        func decode(_ texts: [String]) -> [SeatHold?] {
            guard !texts.isEmpty else { return [] }
            var holds = decoded.withLockedValue { known in texts.map { known[$0] } }
            var fresh: [(String, SeatHold)] = []
            for (index, text) in texts.enumerated() where holds[index] == nil {
                holds[index] = try? JSONDecoder().decode(SeatHold.self, from: Data(text.utf8))
                if let hold = holds[index] { fresh.append((text, hold)) }
            }
            if !fresh.isEmpty {
                decoded.withLockedValue { known in
                    if known.count + fresh.count > Self.capacity { known.removeAll(keepingCapacity: true) }
                    for (text, hold) in fresh { known[text] = hold }
                }
            }
            return holds
        }
    }
}
