import Fluent
import Vapor

/// The food menu: categories (each with its GST category) and items.
struct FoodService: Sendable {
    // MARK: Categories

    func categories(page: PageRequest, on db: any Database) async throws -> Page<FoodCategoryResponse> {
        try await FoodCategory.query(on: db).sort(\.$nameKey).sort(\.$id).page(page, map: FoodCategoryResponse.init)
    }

    func requireCategory(_ id: UUID, on db: any Database) async throws -> FoodCategory {
        guard let category = try await FoodCategory.find(id, on: db) else { throw APIError.notFound("Food category") }
        return category
    }

    func createCategory(_ request: CreateFoodCategoryRequest, on db: any Database) async throws -> FoodCategory {
        try await save(request, to: FoodCategory(), on: db)
    }

    func replaceCategory(_ id: UUID, with request: CreateFoodCategoryRequest, on db: any Database) async throws
        -> FoodCategory
    {
        try await save(request, to: try await requireCategory(id, on: db), on: db)
    }

    func deleteCategory(_ id: UUID, on db: any Database) async throws {
        let category = try await requireCategory(id, on: db)
        guard try await FoodItem.query(on: db).filter(\.$category.$id == id).count() == 0 else {
            throw categoryHasItems
        }
        // An item added meanwhile breaks the foreign key.
        try await Constraint.mapping(.foodItemsCategory) { try await category.delete(on: db) }
    }

    private var categoryHasItems: APIError { Constraint.foodItemsCategory.error() }

    private func save(_ request: CreateFoodCategoryRequest, to category: FoodCategory, on db: any Database) async throws
        -> FoodCategory
    {
        try request.validate()
        let key = request.name.trimmed.lowercased()
        let duplicates = FoodCategory.query(on: db).filter(\.$nameKey == key)
        if let id = category.id { duplicates.filter(\.$id != id) }
        guard try await duplicates.count() == 0 else { throw Constraint.foodCategoriesNameKey.error() }
        category.name = request.name.trimmed
        category.nameKey = key
        category.gstCategory = GSTRate.normalizedCategory(request.gstCategory)
        try await saveMappingConflicts(category, on: db, .foodCategoriesNameKey)
        return category
    }

    // MARK: Items

    func items(_ filters: FoodItemListQuery, page: PageRequest, on db: any Database) async throws -> Page<
        FoodItemResponse
    > {
        let query = FoodItem.query(on: db)
        if let categoryID = filters.categoryId { query.filter(\.$category.$id == categoryID) }
        if let isAvailable = filters.isAvailable { query.filter(\.$isAvailable == isAvailable) }
        if let veg = filters.veg { query.filter(\.$isVeg == veg) }
        if let q = filters.q { query.filter("name_search", containsLiterally: q.lowercased()) }
        return try await query.sort(\.$nameSearch).sort(\.$id).page(page, map: FoodItemResponse.init)
    }

    func requireItem(_ id: UUID, on db: any Database) async throws -> FoodItem {
        guard let item = try await FoodItem.find(id, on: db) else { throw APIError.notFound("Food item") }
        return item
    }

    func createItem(_ request: CreateFoodItemRequest, on db: any Database) async throws -> FoodItem {
        try await save(request, to: FoodItem(), on: db)
    }

    func replaceItem(_ id: UUID, with request: CreateFoodItemRequest, on db: any Database) async throws -> FoodItem {
        try await save(request, to: try await requireItem(id, on: db), on: db)
    }

    func updateItem(_ id: UUID, with patch: UpdateFoodItemRequest, on db: any Database) async throws -> FoodItem {
        let item = try await requireItem(id, on: db)
        return try await save(patch.applied(to: CreateFoodItemRequest(item)), to: item, on: db)
    }

    func deleteItem(_ id: UUID, on db: any Database) async throws {
        try await requireItem(id, on: db).delete(on: db)
    }

    private func save(_ request: CreateFoodItemRequest, to item: FoodItem, on db: any Database) async throws -> FoodItem
    {
        try request.validate()
        guard try await FoodCategory.find(request.categoryId, on: db) != nil else {
            throw APIError.validation(field: "category_id", "does not name a food category")
        }
        item.name = request.name.trimmed
        item.nameSearch = item.name.lowercased()
        item.description = (request.description ?? "").trimmed
        item.priceMinor = request.priceMinor
        item.$category.id = request.categoryId
        item.isVeg = request.isVeg
        item.isAvailable = request.isAvailable ?? true
        item.imageURL = request.imageUrl
        item.stock = request.stock
        try await item.save(on: db)
        return item
    }
}
