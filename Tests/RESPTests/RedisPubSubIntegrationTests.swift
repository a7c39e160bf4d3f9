import Testing

@testable import RESP

@Suite(.enabled(if: TestRedis.isAvailable, "needs TEST_REDIS_URL or redis-server on PATH"))
struct RedisPubSubIntegrationTests {
    @Test func deliversMessagesInOrderOnEveryChannel() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let (seats, bookings) = (TestRedis.key("seats"), TestRedis.key("bookings"))
            let subscription = try await client.subscribe(to: [seats, bookings])
            // subscribe returns after Redis confirmed both channels, so nothing published now is lost.
            #expect(try await client.publish("held A1", to: seats) == 1)
            #expect(try await client.publish("confirmed", to: bookings) == 1)
            #expect(try await client.publish("released A1", to: seats) == 1)

            var received: [RedisPubSubMessage] = []
            for try await message in subscription {
                received.append(message)
                if received.count == 3 { break }
            }
            #expect(received.map(\.channel) == [seats, bookings, seats])
            #expect(received.map(\.message) == ["held A1", "confirmed", "released A1"])
            await subscription.close()
            await client.shutdown()
        }
    }

    @Test func unsubscribeEndsTheStreamAndTheServerForgetsUs() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let channel = TestRedis.key("events")
            let subscription = try await client.subscribe(to: [channel])
            #expect(try await client.publish("before", to: channel) == 1)
            await subscription.unsubscribe()
            #expect(subscription.isClosed)
            // The message that arrived before the confirmation is still delivered, then the stream ends cleanly.
            var received: [String] = []
            for try await message in subscription.messages { received.append(message.message) }
            #expect(received == ["before"])
            #expect(try await client.publish("after", to: channel) == 0)
            await client.shutdown()
        }
    }

    @Test func subscriberConnectionsDoNotUseThePool() async throws {
        try await TestRedis.withRedis { configuration in
            var configuration = configuration
            configuration.maximumConnections = 1
            let client = RedisClient(configuration: configuration)
            let subscription = try await client.subscribe(to: [TestRedis.key("a")])
            #expect(try await client.ping() == "PONG")
            #expect(await client.connectionCount == 1)
            await subscription.close()
            await client.shutdown()
        }
    }

    @Test func binaryPayloadsArriveUnchanged() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let channel = TestRedis.key("binary")
            let subscription = try await client.subscribe(to: [channel])
            let payload: [UInt8] = [0, 13, 10, 255, 42]
            _ = try await client.send(RESPCommand(bytes: [Array("PUBLISH".utf8), Array(channel.utf8), payload]))
            var iterator = subscription.makeAsyncIterator()
            #expect(try await iterator.next()?.payload == payload)
            await subscription.close()
            #expect(try await iterator.next() == nil)
            await client.shutdown()
        }
    }
}
