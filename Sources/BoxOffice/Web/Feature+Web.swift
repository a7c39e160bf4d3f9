import Vapor

extension Feature {
    /// The web client's pages.
    static func web(_ box: BoxOffice) -> Feature {
        Feature(
            name: "web",
            routes: [
                WebController(
                    publicDirectory: box.publicDirectory,
                    customerPolicy: WebController.customerPolicy(
                        razorpay: box.config.paymentGateway == .razorpay ? box.config.razorpay : nil))
            ])
    }
}
