import Vapor

/// `POST /food-categories` and `PUT /food-categories/{id}`.
struct CreateFoodCategoryRequest: Content {
    /// Unique, ignoring case.
    var name: String
    /// The GST category its items are taxed under (matches `category` of `/gst` slabs), e.g. `food`.
    var gstCategory: String

    func validate() throws {
        var checks = FieldChecks()
        checks.text(name, "name", max: 100)
        checks.text(gstCategory, "gst_category", max: 50)
        try checks.throwIfAny()
    }
}

struct FoodCategoryResponse: Content {
    var id: UUID
    var name: String
    var gstCategory: String
    var createdAt: Date?
    var updatedAt: Date?

    init(_ category: FoodCategory) throws {
        id = try category.requireID()
        name = category.name
        gstCategory = category.gstCategory
        createdAt = category.createdAt
        updatedAt = category.updatedAt
    }
}

/// `POST /food-items` and `PUT /food-items/{id}` (a full replace).
struct CreateFoodItemRequest: Content {
    var name: String
    var description: String?
    var priceMinor: Int
    var categoryId: UUID
    var isVeg: Bool
    var isAvailable: Bool?
    var imageUrl: String?
    /// Units in stock; absent = not tracked.
    var stock: Int?

    func validate() throws {
        var checks = FieldChecks()
        checks.text(name, "name", max: 100)
        checks.require((description ?? "").count <= 1000, "description", "must be at most 1000 characters")
        checks.money(priceMinor, "price_minor")
        if let imageUrl { checks.imageURL(imageUrl, "image_url") }
        if let stock { checks.require((0...1_000_000).contains(stock), "stock", "must be from 0 to 1000000") }
        try checks.throwIfAny()
    }
}

extension CreateFoodItemRequest {
    init(_ item: FoodItem) {
        self.init(
            name: item.name, description: item.description, priceMinor: item.priceMinor, categoryId: item.$category.id,
            isVeg: item.isVeg, isAvailable: item.isAvailable, imageUrl: item.imageURL, stock: item.stock)
    }
}

/// `PATCH /food-items/{id}`: only the fields present change (null counts as absent: PUT stops stock tracking).
struct UpdateFoodItemRequest: Content {
    var name: String?
    var description: String?
    var priceMinor: Int?
    var categoryId: UUID?
    var isVeg: Bool?
    var isAvailable: Bool?
    var imageUrl: String?
    var stock: Int?

    func applied(to base: CreateFoodItemRequest) -> CreateFoodItemRequest {
        var result = base
        if let name { result.name = name }
        if let description { result.description = description }
        if let priceMinor { result.priceMinor = priceMinor }
        if let categoryId { result.categoryId = categoryId }
        if let isVeg { result.isVeg = isVeg }
        if let isAvailable { result.isAvailable = isAvailable }
        if let imageUrl { result.imageUrl = imageUrl }
        if let stock { result.stock = stock }
        return result
    }
}

struct FoodItemResponse: Content {
    var id: UUID
    var name: String
    var description: String
    var priceMinor: Int
    var categoryId: UUID
    var isVeg: Bool
    var isAvailable: Bool
    var imageUrl: String?
    var stock: Int?
    var createdAt: Date?
    var updatedAt: Date?

    init(_ item: FoodItem) throws {
        id = try item.requireID()
        name = item.name
        description = item.description
        priceMinor = item.priceMinor
        categoryId = item.$category.id
        isVeg = item.isVeg
        isAvailable = item.isAvailable
        imageUrl = item.imageURL
        stock = item.stock
        createdAt = item.createdAt
        updatedAt = item.updatedAt
    }
}

/// The filters of `GET /food-items`.
struct FoodItemListQuery: Sendable {
    var categoryId: UUID?
    var isAvailable: Bool?
    var veg: Bool?
    var q: String?

    init(from req: Request) throws {
        categoryId = try req.query.get(UUID?.self, at: "category_id")
        isAvailable = try req.query.get(Bool?.self, at: "is_available")
        veg = try req.query.get(Bool?.self, at: "veg")
        q = try req.queryText("q")
    }
}
