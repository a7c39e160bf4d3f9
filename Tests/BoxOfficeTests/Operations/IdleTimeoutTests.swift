import Foundation
import NIOCore
import NIOPosix
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("HTTP idle timeout")
struct IdleTimeoutTests {
    /// A connection that opens and then says nothing is closed by the server once the idle timeout passes, while
    /// the server keeps answering others.
    @Test func aSilentConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await withTestApp(configure: { $0.httpIdleTimeoutSeconds = 1 }) { t in
            try await t.listening { port in
                // Timed from before the connect: the server's idle timer starts when it accepts, which a loaded
                // machine may report to this client later than that (CI once measured 0.885 s from the reply).
                let opened = ContinuousClock.now
                let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                #expect(try await t.request(.GET, "/health").status == .ok)
                // Polled, not awaited: a close that never comes fails the test instead of hanging the run.
                let deadline = ContinuousClock.now + .seconds(10)
                while silent.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                let closed = !silent.isActive
                #expect(closed, "the server never closed the silent connection")
                #expect(ContinuousClock.now - opened >= .milliseconds(900))
                if !closed { try? await silent.close() }
            }
        }
    }
}
