import Fluent
import Vapor

/// `/food-categories` and `/food-items`: the menu (public reads, admin writes).
struct FoodController: RouteCollection {
    let context: RouteContext
    let food: FoodService

    func boot(routes: any RoutesBuilder) throws {
        let (categories, _, categoryAdmin) = context.routes(routes, "food-categories", tag: "Food")
        categories.on(
            .GET, summary: "List food categories (cached; ETag/If-None-Match)",
            response: .page(of: FoodCategoryResponse.self),
            query: APIDoc.QueryParameter.paging, use: indexCategories)
        categories.on(
            .GET, ":id", summary: "One food category", response: .of(FoodCategoryResponse.self),
            use: showCategory)
        categoryAdmin.on(
            .POST, summary: "Create a food category", body: .of(CreateFoodCategoryRequest.self),
            status: .created, response: .of(FoodCategoryResponse.self), errors: [.conflict], use: createCategory)
        categoryAdmin.on(
            .PUT, ":id", summary: "Rename a food category or change its GST category",
            body: .of(CreateFoodCategoryRequest.self), response: .of(FoodCategoryResponse.self), errors: [.conflict],
            use: replaceCategory)
        categoryAdmin.on(
            .DELETE, ":id", summary: "Delete a food category that has no items", status: .noContent,
            errors: [.conflict], use: deleteCategory)

        let (items, _, itemAdmin) = context.routes(routes, "food-items", tag: "Food")
        items.on(
            .GET, summary: "List food items (cached for a second; ETag/If-None-Match)",
            response: .page(of: FoodItemResponse.self),
            query: APIDoc.QueryParameter.paging + Self.itemFilters, use: indexItems)
        items.on(.GET, ":id", summary: "One food item", response: .of(FoodItemResponse.self), use: showItem)
        itemAdmin.on(
            .POST, summary: "Create a food item", body: .of(CreateFoodItemRequest.self), status: .created,
            response: .of(FoodItemResponse.self), use: createItem)
        itemAdmin.on(
            .PUT, ":id", summary: "Replace a food item", body: .of(CreateFoodItemRequest.self),
            response: .of(FoodItemResponse.self), use: replaceItem)
        itemAdmin.on(
            .PATCH, ":id", summary: "Change some fields of a food item (price, availability, stock…)",
            body: .of(UpdateFoodItemRequest.self), response: .of(FoodItemResponse.self), use: updateItem)
        itemAdmin.on(.DELETE, ":id", summary: "Delete a food item", status: .noContent, use: deleteItem)
    }

    @Sendable func indexCategories(req: Request) async throws -> Response {
        try await context.lists.respond(to: req) {
            try await food.categories(page: try PageRequest(from: req), on: req.db)
        }
    }

    @Sendable func showCategory(req: Request) async throws -> FoodCategoryResponse {
        try FoodCategoryResponse(try await food.requireCategory(try req.requireID("id", "Food category"), on: req.db))
    }

    @Sendable func createCategory(req: Request) async throws -> Created<FoodCategoryResponse> {
        let body = try req.content.decode(CreateFoodCategoryRequest.self)
        return Created(try FoodCategoryResponse(try await food.createCategory(body, on: req.db)))
    }

    @Sendable func replaceCategory(req: Request) async throws -> FoodCategoryResponse {
        let id = try req.requireID("id", "Food category")
        let body = try req.content.decode(CreateFoodCategoryRequest.self)
        return try FoodCategoryResponse(try await food.replaceCategory(id, with: body, on: req.db))
    }

    @Sendable func deleteCategory(req: Request) async throws -> HTTPStatus {
        try await food.deleteCategory(try req.requireID("id", "Food category"), on: req.db)
        return .noContent
    }

    @Sendable func indexItems(req: Request) async throws -> Response {
        try await context.lists.respond(to: req) {
            try await food.items(try FoodItemListQuery(from: req), page: try PageRequest(from: req), on: req.db)
        }
    }

    @Sendable func showItem(req: Request) async throws -> FoodItemResponse {
        try FoodItemResponse(try await food.requireItem(try req.requireID("id", "Food item"), on: req.db))
    }

    @Sendable func createItem(req: Request) async throws -> Created<FoodItemResponse> {
        let body = try req.content.decode(CreateFoodItemRequest.self)
        return Created(try FoodItemResponse(try await food.createItem(body, on: req.db)))
    }

    @Sendable func replaceItem(req: Request) async throws -> FoodItemResponse {
        let id = try req.requireID("id", "Food item")
        let body = try req.content.decode(CreateFoodItemRequest.self)
        return try FoodItemResponse(try await food.replaceItem(id, with: body, on: req.db))
    }

    @Sendable func updateItem(req: Request) async throws -> FoodItemResponse {
        let id = try req.requireID("id", "Food item")
        let body = try req.content.decode(UpdateFoodItemRequest.self)
        return try FoodItemResponse(try await food.updateItem(id, with: body, on: req.db))
    }

    @Sendable func deleteItem(req: Request) async throws -> HTTPStatus {
        try await food.deleteItem(try req.requireID("id", "Food item"), on: req.db)
        return .noContent
    }

    private static let itemFilters: [APIDoc.QueryParameter] = [
        .init(name: "category_id", schema: .string(format: .uuid, required: false), description: "Only this category"),
        .init(
            name: "is_available", schema: .boolean(required: false),
            description: "Only available (or unavailable) items"),
        .init(
            name: "veg", schema: .boolean(required: false),
            description: "true: vegetarian only; false: non-vegetarian only"),
        .init(name: "q", schema: .string(required: false), description: "Name contains (case-insensitive)"),
    ]
}
