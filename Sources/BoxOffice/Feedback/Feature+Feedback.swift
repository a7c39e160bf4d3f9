import Vapor

extension Feature {
    static func feedback(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "feedback", routes: [FeedbackController(context: context, feedback: box.feedback)])
    }
}
