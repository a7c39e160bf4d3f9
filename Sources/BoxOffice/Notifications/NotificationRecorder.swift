import Fluent

/// Where the outbox delivers: stores the notification a customer-facing event asks for (once per event, however
/// many times or instances deliver it) and pushes it to the customer's live sockets; tells live seat maps about
/// booked and freed seats; then passes the event on.
struct NotificationRecorder: EventBus {
    let notifications: NotificationService
    let live: any LiveBus
    let next: any EventBus

    func publish(_ event: NotificationEvent) async {
        await next.publish(event)
    }

    func deliver(_ event: NotificationEvent, on db: any Database) async throws {
        if event.isCustomerFacing, let stored = try await notifications.record(event, on: db) {
            await live.publish(.notification(userID: event.userID, stored))
        }
        if let change = event.seatsChanged { await live.publish(.seats(change)) }
        try await next.deliver(event, on: db)
    }
}
